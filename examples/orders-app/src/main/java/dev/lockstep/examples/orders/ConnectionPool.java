package dev.lockstep.examples.orders;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * A few connections to the orders database, kept open between requests.
 *
 * <p>Safe across schema changes because every statement names its columns: when a migration drops one,
 * PostgreSQL plans a statement that names it again and says so ({@code undefined_column}), which the
 * application takes as its cue to read the schema version again.
 */
public final class ConnectionPool implements Connections, AutoCloseable {

  /** Connections per instance: a small service, and the database serves every pod of it. */
  private static final int SIZE = 4;
  /** How long a request waits for a connection before it fails, rather than hanging on a lost database. */
  private static final Duration WAIT = Duration.ofSeconds(5);

  private final HikariDataSource dataSource;

  private ConnectionPool(HikariDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Opens no connection yet: an application whose database is not there starts, and is not ready. */
  public static ConnectionPool create(String name, String url, String user, String password) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(SIZE);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(WAIT.toMillis());
    config.setInitializationFailTimeout(-1);
    return new ConnectionPool(new HikariDataSource(config));
  }

  @Override
  public Connection open() throws SQLException {
    return dataSource.getConnection();
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
