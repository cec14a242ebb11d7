package dev.lockstep.shadow;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts a few rows into every empty user table, so that statements behave on the shadow as on a live
 * table: ADD COLUMN .. NOT NULL without a default fails, a CHECK is validated against rows, an index
 * build has something to index.
 *
 * <p>Values are made up per column type; columns with defaults, identity and generated columns get
 * their own values, and a single-column foreign key takes a key of the table it references. A table
 * whose rows cannot be made up (an unusual type, a CHECK the values fail) stays empty: seeding is
 * best effort.
 */
final class TableSeeder {

  private static final int ROWS = 3;

  private TableSeeder() {}

  /** Seeds the empty tables; runs passes until no more can be seeded, for foreign key order. */
  static void seedEmptyTables(Connection connection) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      List<String> pending = emptyTables(connection);
      boolean progress = true;
      while (!pending.isEmpty() && progress) {
        progress = false;
        for (String table : List.copyOf(pending)) {
          if (trySeed(connection, table)) {
            pending.remove(table);
            progress = true;
          }
        }
      }
      connection.commit();
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  private static boolean trySeed(Connection connection, String table) throws SQLException {
    String insert = insertStatement(connection, table);
    if (insert == null) {
      return false;
    }
    Savepoint savepoint = connection.setSavepoint();
    try (Statement statement = connection.createStatement()) {
      statement.execute(insert);
      connection.releaseSavepoint(savepoint);
      return true;
    } catch (SQLException e) {
      connection.rollback(savepoint);
      return false;
    }
  }

  /** Quoted names of the user tables that have no rows. */
  private static List<String> emptyTables(Connection connection) throws SQLException {
    List<String> tables = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c"
            + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition"
            + " AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')"
            + " AND n.nspname NOT LIKE 'pg_temp%' ORDER BY c.oid")) {
      while (rows.next()) {
        tables.add(rows.getString(1));
      }
    }
    List<String> empty = new ArrayList<>();
    if (tables.isEmpty()) {
      return empty;
    }
    // One round trip for all tables: row i of the answer says whether table i is empty.
    List<String> checks = new ArrayList<>();
    for (int i = 0; i < tables.size(); i++) {
      checks.add("SELECT " + i + ", NOT EXISTS (SELECT 1 FROM " + tables.get(i) + ")");
    }
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(String.join(" UNION ALL ", checks))) {
      while (rows.next()) {
        if (rows.getBoolean(2)) {
          empty.add(tables.get(rows.getInt(1)));
        }
      }
    }
    empty.sort(java.util.Comparator.comparingInt(tables::indexOf));
    return empty;
  }

  /** An INSERT of {@link #ROWS} made-up rows, or null when a required column cannot be made up. */
  private static String insertStatement(Connection connection, String table) throws SQLException {
    Map<String, String> foreignKeys = foreignKeys(connection, table);
    List<String> columns = new ArrayList<>();
    List<String> values = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT quote_ident(a.attname), format_type(a.atttypid, a.atttypmod),"
            + " t.typcategory, a.attnotnull, a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '', a.atttypid"
            + " FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid WHERE a.attrelid = '" + table
            + "'::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum")) {
      while (rows.next()) {
        String column = rows.getString(1);
        if (rows.getBoolean(5)) {
          continue; // its default, identity or generation makes the value
        }
        String value = foreignKeys.containsKey(column)
            ? foreignKeys.get(column)
            : value(rows.getString(2), rows.getString(3), rows.getLong(6));
        if (value == null && rows.getBoolean(4)) {
          return null;
        }
        columns.add(column);
        values.add(value == null ? "NULL" : value);
      }
    }
    String select = columns.isEmpty() ? "DEFAULT VALUES"
        : "(" + String.join(", ", columns) + ") SELECT " + String.join(", ", values)
            + " FROM generate_series(1, " + ROWS + ") AS seed(n)";
    return "INSERT INTO " + table + " " + select;
  }

  /** A value expression for row {@code seed.n} of a column of this type, or null. */
  private static String value(String type, String category, long typeOid) {
    if (type.equals("uuid")) {
      return "gen_random_uuid()";
    }
    return switch (category) {
      case "N" -> "CAST(seed.n AS " + type + ")";
      case "S" -> "CAST(seed.n AS " + type + ")";
      case "B" -> "true";
      case "D" -> "CAST(now() AS " + type + ")";
      case "T" -> "CAST('1 day' AS " + type + ")";
      case "I" -> "CAST('127.0.0.' || seed.n AS " + type + ")";
      case "A" -> "CAST('{}' AS " + type + ")";
      case "E" -> "(SELECT enumlabel FROM pg_enum WHERE enumtypid = " + typeOid
          + " ORDER BY enumsortorder LIMIT 1)::" + type;
      case "U" -> type.equals("json") || type.equals("jsonb") ? "CAST('{}' AS " + type + ")" : null;
      default -> null;
    };
  }

  /** Single-column foreign keys of the table: column to a subquery that picks a referenced key. */
  private static Map<String, String> foreignKeys(Connection connection, String table) throws SQLException {
    Map<String, String> keys = new LinkedHashMap<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT quote_ident(a.attname), format('%I', r.attname),"
            + " c.confrelid::regclass::text FROM pg_constraint c"
            + " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]"
            + " JOIN pg_attribute r ON r.attrelid = c.confrelid AND r.attnum = c.confkey[1]"
            + " WHERE c.contype = 'f' AND c.conrelid = '" + table + "'::regclass AND cardinality(c.conkey) = 1")) {
      while (rows.next()) {
        keys.put(rows.getString(1), "(SELECT " + rows.getString(2) + " FROM " + rows.getString(3)
            + " ORDER BY 1 OFFSET (seed.n - 1) % GREATEST(1, (SELECT count(*) FROM " + rows.getString(3) + ")) LIMIT 1)");
      }
    }
    return keys;
  }
}
