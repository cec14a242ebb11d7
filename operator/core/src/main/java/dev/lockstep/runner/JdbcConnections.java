package dev.lockstep.runner;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

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
