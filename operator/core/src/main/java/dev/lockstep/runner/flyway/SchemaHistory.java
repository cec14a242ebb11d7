package dev.lockstep.runner.flyway;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The few changes the runner makes to Flyway's {@code flyway_schema_history} itself.
 *
 * <p>The table name is unqualified on purpose: Flyway keeps it in the connection's current schema
 * (the first of the search_path), and an unqualified name resolves to the same table.
 */
public final class SchemaHistory {

  public static final String TABLE = "flyway_schema_history";

  private SchemaHistory() {}

  public static boolean exists(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      statement.setString(1, TABLE);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getBoolean(1);
      }
    }
  }

  /** One row of the history: its version (null for a repeatable script) and script. */
  public record Row(String version, String script) {}

  /** The rows of failed migrations (Flyway's {@code success = false}), oldest first. */
  public static List<Row> failedRows(Connection connection) throws SQLException {
    List<Row> failed = new ArrayList<>();
    if (!exists(connection)) {
      return failed;
    }
    try (PreparedStatement statement = connection.prepareStatement(
            "SELECT version, script FROM " + TABLE + " WHERE NOT success ORDER BY installed_rank");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        failed.add(new Row(rows.getString(1), rows.getString(2)));
      }
    }
    return failed;
  }

  /**
   * Deletes the rows of failed migrations and returns their scripts.
   *
   * <p>On PostgreSQL, Flyway writes such a row only for a script that ran outside a transaction (a
   * {@code CREATE INDEX CONCURRENTLY}): a transactional script's failure rolls back with its
   * changes. While the row is there Flyway refuses to migrate at all, so the next attempt could
   * never retry the script. This is the part of Flyway's {@code repair} that the runner needs,
   * without the rest (realigning checksums would hide an edited script).
   */
  public static List<String> removeFailedMigrations(Connection connection) throws SQLException {
    List<String> removed = new ArrayList<>();
    if (!exists(connection)) {
      return removed;
    }
    try (PreparedStatement statement =
            connection.prepareStatement("DELETE FROM " + TABLE + " WHERE NOT success RETURNING script");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        removed.add(rows.getString(1));
      }
    }
    return removed;
  }

  /** Deletes the row Flyway wrote when it applied a migration, so that the migration is pending again. */
  public static void forget(Connection connection, int installedRank) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("DELETE FROM " + TABLE + " WHERE installed_rank = ?")) {
      statement.setInt(1, installedRank);
      if (statement.executeUpdate() != 1) {
        throw new SQLException("no row with installed_rank " + installedRank + " in " + TABLE);
      }
    }
  }
}
