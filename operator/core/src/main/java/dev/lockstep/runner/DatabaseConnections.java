package dev.lockstep.runner;

import java.sql.Connection;
import java.sql.SQLException;

/** Opens sessions on the target database, already set up with the runner's {@link SessionSettings}. */
@FunctionalInterface
public interface DatabaseConnections {

  /** A new connection in auto-commit mode; the caller closes it. */
  Connection open() throws SQLException;
}
