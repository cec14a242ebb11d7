package dev.lockstep.runner;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.postgresql.Driver;

/** Plain JDBC connections to the URL of the database Secret. */
public final class JdbcConnections implements DatabaseConnections {

  private final DatabaseCredentials credentials;
  private final SessionSettings session;

  public JdbcConnections(DatabaseCredentials credentials, SessionSettings session) {
    this.credentials = credentials;
    this.session = session;
  }

  @Override
  public Connection open() throws SQLException {
    // DriverManager answers a URL the driver cannot parse with "No suitable driver" (SQLSTATE 08001,
    // like a refused connection): told apart here, as bad input that no reconnect cures. The URL
    // is not quoted, as it may carry a password.
    if (Driver.parseURL(credentials.url(), null) == null) {
      throw RunnerFailure.badInput(DatabaseCredentials.URL_VARIABLE + " is not a valid PostgreSQL JDBC URL; write the"
          + " database Secret's url as jdbc:postgresql://host:5432/database");
    }
    Properties properties = new Properties();
    properties.setProperty("user", credentials.username());
    properties.setProperty("password", credentials.password());
    Connection connection = DriverManager.getConnection(credentials.url(), properties);
    try (Statement statement = connection.createStatement()) {
      for (String sql : session.statements()) {
        statement.execute(sql);
      }
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
    return connection;
  }
}
