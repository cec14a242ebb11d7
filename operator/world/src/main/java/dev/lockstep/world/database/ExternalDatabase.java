package dev.lockstep.world.database;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A PostgreSQL server the user runs ({@code lockstep rehearse --jdbc-url ...}): one database for
 * everything, reached with the login given.
 */
public final class ExternalDatabase implements DatabaseServer {

  private final DatabaseLogin login;

  private ExternalDatabase(DatabaseLogin login) {
    this.login = login;
  }

  /**
   * Connects once to check the login, so that a wrong URL or password is reported up front rather
   * than as a failed migration Job. {@code username} and {@code password} may be null when the URL
   * carries them.
   */
  public static ExternalDatabase connect(String jdbcUrl, String username, String password) {
    if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "--jdbc-url must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database)");
    }
    DatabaseLogin login = new DatabaseLogin(jdbcUrl, username, password);
    try (Connection ignored = login.dataSource().getConnection()) {
      return new ExternalDatabase(login);
    } catch (SQLException e) {
      // The driver's message names host, database and user but never the password.
      throw new IllegalStateException("cannot connect to --jdbc-url: " + e.getMessage(), e);
    }
  }

  @Override
  public DatabaseLogin database(String name) {
    return login;
  }

  @Override
  public void close() {
    // The server is the user's; there is nothing of ours to stop.
  }
}
