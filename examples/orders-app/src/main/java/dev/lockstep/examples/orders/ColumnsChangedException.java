package dev.lockstep.examples.orders;

import java.sql.SQLException;

/**
 * A statement met a table whose amount columns are not those the application last knew: a migration
 * dropped or added one since the schema version was read. Nothing was written; read the version again
 * and retry.
 */
public final class ColumnsChangedException extends Exception {

  ColumnsChangedException(SQLException cause) {
    super(cause.getMessage(), cause);
  }
}
