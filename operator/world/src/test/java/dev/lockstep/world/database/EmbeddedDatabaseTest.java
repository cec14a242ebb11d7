package dev.lockstep.world.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedDatabaseTest {

  private static EmbeddedDatabase server;

  @BeforeAll
  static void start() {
    server = EmbeddedDatabase.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void eachDatabaseIsSeparateAndOwnedByItsLogin() throws SQLException {
    execute(server.dataSource("orders"), "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric)");
    execute(server.dataSource("orders"), "INSERT INTO orders VALUES (1, 9.5)");

    assertThat(queryString(server.dataSource("orders"), "SELECT total::text FROM orders WHERE id = 1"))
        .isEqualTo("9.5");
    assertThat(queryString(server.dataSource("billing"),
        "SELECT count(*)::text FROM information_schema.tables WHERE table_name = 'orders'"))
        .isEqualTo("0");
    assertThat(queryString(server.dataSource("orders"), "SELECT current_user")).isEqualTo("orders");
    assertThat(queryString(server.dataSource("orders"), "SHOW server_version")).startsWith("14.");
  }

  @Test
  void askingTwiceGivesTheSameLogin() {
    assertThat(server.database("inventory")).isEqualTo(server.database("inventory"));
  }

  @Test
  void theServerChecksThePassword() {
    DatabaseLogin login = server.database("payments");
    DatabaseLogin wrong = new DatabaseLogin(login.jdbcUrl(), login.username(), "not-the-password");

    assertThatThrownBy(() -> wrong.dataSource().getConnection().close())
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("password authentication failed");
  }

  @Test
  void aRestartCutsEverySessionAndKeepsTheDataTheLoginsAndThePort() throws SQLException {
    try (EmbeddedDatabase restartable = EmbeddedDatabase.start()) {
      DatabaseLogin login = restartable.database("ledger");
      execute(login.dataSource(), "CREATE TABLE entries (id int)");
      execute(login.dataSource(), "INSERT INTO entries VALUES (7)");
      int port = restartable.port();
      Connection open = login.dataSource().getConnection();

      restartable.restart();

      assertThatThrownBy(() -> open.createStatement().execute("SELECT 1"))
          .as("a session open across the restart is cut").isInstanceOf(SQLException.class);
      open.close();
      assertThat(restartable.port()).isEqualTo(port);
      assertThat(queryString(login.dataSource(), "SELECT id::text FROM entries")).isEqualTo("7");
      DatabaseLogin wrong = new DatabaseLogin(login.jdbcUrl(), login.username(), "not-the-password");
      assertThatThrownBy(() -> wrong.dataSource().getConnection().close())
          .hasMessageContaining("password authentication failed");

      restartable.stop();
      assertThatThrownBy(() -> login.dataSource().getConnection().close()).isInstanceOf(SQLException.class);
      restartable.startAgain();
      assertThat(queryString(login.dataSource(), "SELECT count(*)::text FROM entries")).isEqualTo("1");
    }
  }

  @Test
  void theLoginNeverPrintsItsPassword() {
    DatabaseLogin login = server.database("secrets");

    assertThat(login.toString()).doesNotContain(login.password()).contains("password=***");
  }

  @Test
  void aLoginBecomesTheSecretTheOperatorReads() {
    DatabaseLogin login = server.database("orders");

    Secret secret = login.toSecret("shop", "orders-db");

    assertThat(secret.getMetadata().getNamespace()).isEqualTo("shop");
    assertThat(decode(secret, "url")).isEqualTo(login.jdbcUrl());
    assertThat(decode(secret, "username")).isEqualTo("orders");
    assertThat(decode(secret, "password")).isEqualTo(login.password());
  }

  @Test
  void badDatabaseNamesAreRefusedWithTheRule() {
    assertThatThrownBy(() -> server.database("Orders; DROP"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Orders; DROP'")
        .hasMessageContaining("lower-case");
  }

  @Test
  void anExternalServerIsOneDatabaseForEverything() throws SQLException {
    DatabaseLogin shared = server.database("external");
    try (ExternalDatabase external =
        ExternalDatabase.connect(shared.jdbcUrl(), shared.username(), shared.password())) {
      assertThat(external.database("orders")).isEqualTo(external.database("billing")).isEqualTo(shared);
      execute(external.dataSource("orders"), "CREATE TABLE IF NOT EXISTS marker (id int)");
      assertThat(queryString(server.dataSource("external"),
          "SELECT count(*)::text FROM information_schema.tables WHERE table_name = 'marker'"))
          .isEqualTo("1");
    }
  }

  @Test
  void anExternalServerThatCannotBeReachedIsReportedWithoutThePassword() {
    DatabaseLogin login = server.database("external");
    assertThatThrownBy(() -> ExternalDatabase.connect(login.jdbcUrl(), login.username(), "s3cr3t-wrong"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("cannot connect to --jdbc-url: ")
        .message().doesNotContain("s3cr3t-wrong");
    assertThatThrownBy(() -> ExternalDatabase.connect("jdbc:mysql://localhost/x", null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--jdbc-url must be a PostgreSQL JDBC URL");
  }

  private static String decode(Secret secret, String key) {
    return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }

  private static void execute(DataSource dataSource, String sql) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static String queryString(DataSource dataSource, String sql) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getString(1);
    }
  }
}
