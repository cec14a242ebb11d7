package dev.lockstep.world.database;

import javax.sql.DataSource;

/**
 * A PostgreSQL server the world's databases live on: embedded by default, or an external one given
 * by {@code --jdbc-url}.
 */
public interface DatabaseServer extends AutoCloseable {

  /**
   * The login for database {@code name}, created on first use. An external server has one database
   * for everything and returns the same login for every name.
   */
  DatabaseLogin database(String name);

  /** Connections to database {@code name} with its login, as the application would open them. */
  default DataSource dataSource(String name) {
    return database(name).dataSource();
  }

  @Override
  void close();
}
