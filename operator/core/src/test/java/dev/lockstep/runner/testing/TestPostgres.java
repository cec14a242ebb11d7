package dev.lockstep.runner.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL 14 for one test class; each test gets a fresh database of its own.
 *
 * <p>Starting the server takes a second or two; creating a database takes milliseconds.
 */
public final class TestPostgres implements AutoCloseable {

  public static final String USER = "postgres";
  public static final String PASSWORD = "s3cret-pw";

  private static final AtomicInteger DATABASES = new AtomicInteger();

  private final EmbeddedPostgres server;

  private TestPostgres(EmbeddedPostgres server) {
    this.server = server;
  }

  public static TestPostgres start() {
    try {
      return new TestPostgres(EmbeddedPostgres.start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A new, empty database. */
  public TestDatabase createDatabase() {
    String name = "test_" + DATABASES.incrementAndGet();
    try (Connection admin = server.getPostgresDatabase().getConnection();
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return new TestDatabase(server.getJdbcUrl(USER, name));
  }

  @Override
  public void close() throws IOException {
    server.close();
  }

  /** One database of the test server. */
  public record TestDatabase(String url) {

    /**
     * A new session, as an application would open it. The embedded server trusts local
     * connections, so any password works; the runner gets {@link #PASSWORD} to prove it never
     * prints it.
     */
    public Connection connect() throws SQLException {
      return DriverManager.getConnection(url, USER, PASSWORD);
    }

    /** Runs statements in one session, auto-committed. */
    public void execute(String... sql) {
      try (Connection connection = connect(); Statement statement = connection.createStatement()) {
        for (String s : sql) {
          statement.execute(s);
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
