package dev.lockstep.e2e.badinput;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Everything a bad input could have changed in a database, read from the catalogs: relations,
 * columns, constraints, indexes, Flyway's history and every user table's rows. Two snapshots are
 * equal exactly when nothing of that changed.
 */
final class DatabaseSnapshot {

  private static final String USER_SCHEMAS = "NOT IN ('pg_catalog', 'information_schema', 'pg_toast')";

  private DatabaseSnapshot() {}

  /** Section name → its rows, each row its columns joined by " | ". */
  static Map<String, List<String>> of(DataSource database) throws SQLException {
    Map<String, List<String>> snapshot = new LinkedHashMap<>();
    try (Connection c = database.getConnection()) {
      snapshot.put("relations", rows(c, "SELECT n.nspname, c.relname, c.relkind FROM pg_class c"
          + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname " + USER_SCHEMAS
          + " AND n.nspname NOT LIKE 'pg_temp%' ORDER BY 1, 2"));
      snapshot.put("columns", rows(c, "SELECT table_schema, table_name, column_name, data_type, is_nullable,"
          + " coalesce(column_default, '') FROM information_schema.columns WHERE table_schema " + USER_SCHEMAS
          + " ORDER BY 1, 2, ordinal_position"));
      snapshot.put("constraints", rows(c, "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid),"
          + " convalidated FROM pg_constraint WHERE connamespace IN (SELECT oid FROM pg_namespace WHERE nspname "
          + USER_SCHEMAS + ") ORDER BY 1, 2"));
      snapshot.put("indexes", rows(c, "SELECT schemaname, indexname, indexdef FROM pg_indexes WHERE schemaname "
          + USER_SCHEMAS + " ORDER BY 1, 2"));
      snapshot.put("functions", rows(c, "SELECT p.proname, pg_get_function_identity_arguments(p.oid) FROM pg_proc p"
          + " JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname " + USER_SCHEMAS + " ORDER BY 1, 2"));
      List<String> tables = rows(c, "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables WHERE schemaname "
          + USER_SCHEMAS + " ORDER BY 1");
      snapshot.put("tables", tables);
      for (String table : tables) {
        // Every row, in a stable order: a changed value anywhere changes the snapshot.
        snapshot.put("rows of " + table, rows(c, "SELECT t::text FROM " + table + " t ORDER BY 1"));
      }
    }
    return snapshot;
  }

  private static List<String> rows(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      List<String> rows = new ArrayList<>();
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          row.add(String.valueOf(rs.getObject(i)));
        }
        rows.add(String.join(" | ", row));
      }
      return rows;
    }
  }
}
