package dev.lockstep.runner;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DatabaseCredentialsTest {

  private final DatabaseCredentials credentials =
      new DatabaseCredentials("jdbc:postgresql://db:5432/orders?password=hunter22", "app", "hunter22");

  @Test
  void redactsTheCredentialsOfAQuotedUrl() {
    assertThat(credentials.redact(
            "Unable to obtain connection from database (jdbc:postgresql://db:5432/orders?password=hunter22)"
                + " for user 'app'"))
        .isEqualTo("Unable to obtain connection from database (jdbc:postgresql://db:5432/orders) for user 'app'");
  }

  @Test
  void neverShowsThemInItsOwnText() {
    assertThat(credentials.toString()).isEqualTo("DatabaseCredentials[username=app]");
  }
}
