package dev.lockstep.runner;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DatabaseCredentialsTest {

  private final DatabaseCredentials credentials =
      new DatabaseCredentials("jdbc:postgresql://db:5432/orders?password=hunter22", "app", "hunter22");

  @Test
  void redactsTheUrlAndThePasswordWhereverTheyAppear() {
    assertThat(credentials.redact(
            "Unable to obtain connection from database (jdbc:postgresql://db:5432/orders?password=hunter22)"
                + " for user 'app'; password hunter22 rejected"))
        .isEqualTo("Unable to obtain connection from database (<database URL>) for user 'app'; password **** rejected");
  }

  @Test
  void neverShowsThemInItsOwnText() {
    assertThat(credentials.toString()).isEqualTo("DatabaseCredentials[username=app]");
  }
}
