package dev.lockstep.examples.orders;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** Opens connections to the orders database. */
@FunctionalInterface
public interface Connections {

  Connection open() throws SQLException;

  /**
   * A new connection for every use. The sample keeps no pool on purpose: there is nothing to size or
   * configure, and no server-side prepared statement outlives a change of the table it reads.
   */
  static Connections driverManager(String url, String user, String password) {
    return () -> DriverManager.getConnection(url, user, password);
  }
}
