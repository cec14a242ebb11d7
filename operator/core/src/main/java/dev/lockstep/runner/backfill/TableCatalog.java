package dev.lockstep.runner.backfill;

import dev.lockstep.runner.RunnerFailure;
import dev.lockstep.runner.SqlErrors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Looks a backfill's table up in the catalog. */
final class TableCatalog {

  private TableCatalog() {}

  /**
   * Finds the table {@code name} means — as PostgreSQL reads it: optionally schema-qualified,
   * unquoted parts folded to lower case, quoted parts exact, resolved through the search_path —
   * and its primary key.
   *
   * @throws RunnerFailure (bad input: another attempt would not help) when there is no such table,
   *     or it has no primary key
   */
  static BackfillTable resolve(Connection connection, String name) throws SQLException {
    String sql =
        """
        SELECT n.nspname, c.relname, c.relkind
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.oid = to_regclass(?)
        """;
    String schema;
    String table;
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, name);
      try (ResultSet rows = statement.executeQuery()) {
        if (!rows.next()) {
          throw RunnerFailure.badInput("table " + name + " does not exist (looked up through the search_path)");
        }
        schema = rows.getString(1);
        table = rows.getString(2);
        String kind = rows.getString(3);
        if (!kind.equals("r") && !kind.equals("p")) {
          throw RunnerFailure.badInput(schema + "." + table + " is not a table; backfill changes the rows of a table");
        }
      }
    } catch (SQLException e) {
      if ("42601".equals(e.getSQLState()) || "42602".equals(e.getSQLState()) || "3F000".equals(e.getSQLState())) {
        throw RunnerFailure.badInput("--table \"" + name + "\" is not a table name: " + SqlErrors.describe(e));
      }
      throw e;
    }
    List<BackfillTable.KeyColumn> key = primaryKey(connection, schema, table);
    if (key.isEmpty()) {
      throw RunnerFailure.badInput(
          "table " + schema + "." + table + " has no primary key; backfill needs one to page through rows");
    }
    return new BackfillTable(schema, table, key);
  }

  private static List<BackfillTable.KeyColumn> primaryKey(Connection connection, String schema, String table)
      throws SQLException {
    String sql =
        """
        SELECT a.attname, format_type(a.atttypid, a.atttypmod)
          FROM pg_index i
          CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, position)
          JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
         WHERE i.indrelid = (SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                              WHERE n.nspname = ? AND c.relname = ?)
           AND i.indisprimary
         ORDER BY k.position
        """;
    List<BackfillTable.KeyColumn> columns = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, schema);
      statement.setString(2, table);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          columns.add(new BackfillTable.KeyColumn(rows.getString(1), rows.getString(2)));
        }
      }
    }
    return columns;
  }
}
