package dev.lockstep.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class SqlErrorsTest {

  /** As Flyway hands a connection failure on: its own exception around the driver's. */
  private static Exception wrapped(SQLException e) {
    return new IllegalStateException("Unable to obtain connection from database", e);
  }

  @Test
  void aRefusedConnectionOrARestartingServerIsWorthWaitingFor() {
    SQLException refused = new SQLException("Connection to 127.0.0.1:5432 refused", "08001",
        new ConnectException("Connection refused"));

    assertThat(SqlErrors.isConnectionLost(wrapped(refused))).isTrue();
    assertThat(SqlErrors.isConnectionLost(new SQLException("the database system is starting up", "57P03"))).isTrue();
    assertThat(SqlErrors.cannotConnect(refused)).isFalse();
  }

  @Test
  void whatNoWaitCuresIsNotALostConnection() {
    SQLException unknownHost = new SQLException("The connection attempt failed.", "08001",
        new UnknownHostException("db.example.invalid"));
    for (Exception e : new Exception[] {
        wrapped(unknownHost),
        wrapped(new SQLException("password authentication failed for user \"app\"", "28P01")),
        new SQLException("no pg_hba.conf entry for host", "28000"),
        wrapped(new SQLException("database \"orders\" does not exist", "3D000"))}) {
      assertThat(SqlErrors.cannotConnect(e)).as(e.toString()).isTrue();
      assertThat(SqlErrors.isConnectionLost(e)).as(e.toString()).isFalse();
    }
  }

  @Test
  void anUnknownHostIsDescribedByItsName() {
    SQLException unknownHost = new SQLException("The connection attempt failed.", "08001",
        new UnknownHostException("db.example.invalid"));

    assertThat(SqlErrors.describe(wrapped(unknownHost)))
        .startsWith("unknown database host db.example.invalid: check the host");
  }

  @Test
  void anUnknownHostThatCarriesALoginIsNamedWithoutIt() {
    // The driver reads //lockstep:s3cret@db.internal as the host "lockstep:s3cret@db.internal".
    SQLException unknownHost = new SQLException("The connection attempt failed.", "08001",
        new UnknownHostException("lockstep:s3cret@db.internal"));

    String described = SqlErrors.describe(wrapped(unknownHost));

    assertThat(described).doesNotContain("s3cret").doesNotContain("lockstep:")
        .startsWith("unknown database host: the JDBC URL (the database Secret's url) has a user name or password"
            + " before '@db.internal'");
  }
}
