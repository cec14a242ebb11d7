package dev.lockstep.examples.orders;

import java.sql.Connection;
import java.sql.SQLException;

/** Opens connections to the orders database; closing one gives it back. */
@FunctionalInterface
public interface Connections {

  Connection open() throws SQLException;
}
