package dev.lockstep.runner.backfill.throttle;

import dev.lockstep.gates.Reading;
import dev.lockstep.runner.SqlErrors;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A throttle's value from an SQL query on the target database, run on the backfill's own
 * connection between batches, in a transaction of its own that ends at once — a paused backfill
 * must not hold a snapshot open.
 */
public final class SqlThrottleSignal implements ThrottleSignal {

  private final Connection connection;
  private final String sql;

  /** @param connection a connection with auto-commit off, between two batches */
  public SqlThrottleSignal(Connection connection, String sql) {
    this.connection = connection;
    this.sql = sql;
  }

  @Override
  public Reading<Double> read() {
    try {
      Reading<Double> value = query();
      connection.commit();
      return value;
    } catch (SQLException e) {
      try {
        connection.rollback();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      return Reading.failed(describe() + " failed: " + SqlErrors.describe(e));
    }
  }

  private Reading<Double> query() throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.setEscapeProcessing(false);
      try (ResultSet rows = statement.executeQuery(sql)) {
        if (!rows.next()) {
          return Reading.failed(describe() + " returned no row; return one number, e.g. with coalesce(..., 0)");
        }
        if (rows.getMetaData().getColumnCount() != 1) {
          return Reading.failed(describe() + " returned " + rows.getMetaData().getColumnCount()
              + " columns; return one number");
        }
        String text = rows.getString(1);
        if (text == null) {
          return Reading.failed(describe() + " returned NULL; return a number, e.g. with coalesce(..., 0)");
        }
        double value;
        try {
          value = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
          return Reading.failed(describe() + " returned \"" + text + "\", which is not a number");
        }
        if (rows.next()) {
          return Reading.failed(describe() + " returned more than one row; aggregate them, e.g. with max()");
        }
        return Double.isNaN(value) ? Reading.failed(describe() + " returned NaN") : Reading.of(value);
      }
    }
  }

  @Override
  public String describe() {
    return "SQL `" + sql + "`";
  }
}
