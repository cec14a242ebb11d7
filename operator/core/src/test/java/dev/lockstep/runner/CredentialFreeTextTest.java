package dev.lockstep.runner;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CredentialFreeTextTest {

  @Test
  void aUrlInAMessageLosesItsUserInfoAndCredentialParameters() {
    assertThat(CredentialFreeText.of("Unable to obtain connection from database"
        + " (jdbc:postgresql://app:s3cret@db:5432/orders?sslmode=require&password=s3cret&user=app) for user 'app'"))
        .isEqualTo("Unable to obtain connection from database (jdbc:postgresql://db:5432/orders?sslmode=require)"
            + " for user 'app'");
  }

  @Test
  void parameterNamesAreMatchedInAnyCaseAndTheOtherParametersStayInOrder() {
    assertThat(CredentialFreeText.url("jdbc:postgresql://db/orders?PassWord=x&ApplicationName=lockstep&sslPassword=y"
        + "&connectTimeout=5")).isEqualTo("jdbc:postgresql://db/orders?ApplicationName=lockstep&connectTimeout=5");
    assertThat(CredentialFreeText.url("jdbc:postgresql://db/orders?password=x")).isEqualTo("jdbc:postgresql://db/orders");
  }

  @Test
  void textWithoutAUrlIsLeftExactlyAsItIs() {
    String message = "V1.27__index_existing_index_fix.sql failed: relation \"orders\" does not exist (SQLSTATE 42P01)";

    assertThat(CredentialFreeText.of(message)).isEqualTo(message);
    assertThat(CredentialFreeText.of(null)).isNull();
  }

  @Test
  void redactingWithAShortPasswordNoLongerGarblesMessages() {
    for (String password : new String[] {"x", "1", "postgres", "e"}) {
      DatabaseCredentials credentials = new DatabaseCredentials("jdbc:postgresql://db/postgres", "app", password);
      String message = "V9__index_existing_index_fix.sql failed at version 1.27 on database postgres";

      assertThat(credentials.redact(message)).as("password %s", password).isEqualTo(message);
    }
  }
}
