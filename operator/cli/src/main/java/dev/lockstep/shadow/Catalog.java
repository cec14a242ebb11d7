package dev.lockstep.shadow;

import dev.lockstep.lint.rules.LockMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads what the shadow analysis needs from PostgreSQL's catalogs: names, storage files, locks. */
final class Catalog {

  /** The user schemas' condition on a {@code pg_namespace} alias {@code n}. */
  private static final String USER_SCHEMA =
      "n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%'";
  /** A relation's name on aliases {@code c} and {@code n}: {@code orders}, or {@code schema.orders} outside public. */
  private static final String QUALIFIED_NAME =
      "CASE WHEN n.nspname = 'public' THEN c.relname ELSE n.nspname || '.' || c.relname END";

  /** A lock as {@code pg_locks} lists it: on a relation (oid) or, for types, an object (oid). */
  record RawLock(long oid, boolean type, LockMode mode, boolean granted) {}

  /**
   * What {@link #names}, {@link #indexTables}, {@link #storageFiles} and {@link #locks} return, read in
   * one round trip: around every statement the shadow needs all four, and on a busy machine each round
   * trip waits for the server to be scheduled.
   */
  record Snapshot(Map<Long, String> names, Map<Long, String> indexTables, Map<Long, Long> storageFiles,
      List<RawLock> locks) {}

  /** One query, one row per fact, the kind in the first column: name, index, file or lock. */
  private static final String SNAPSHOT = "SELECT 'name', c.oid, " + QUALIFIED_NAME + ", NULL::bigint, NULL::bool"
      + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
      + " WHERE c.relkind IN ('r', 'p', 'm', 'i', 'I') AND " + USER_SCHEMA
      + " UNION ALL SELECT 'name', t.oid, 'type ' || t.typname, NULL, NULL FROM pg_type t"
      + " JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype IN ('e', 'd', 'c') AND " + USER_SCHEMA
      + " UNION ALL SELECT 'index', x.indexrelid, " + QUALIFIED_NAME + ", NULL, NULL FROM pg_index x"
      + " JOIN pg_class c ON c.oid = x.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + USER_SCHEMA
      + " UNION ALL SELECT 'file', c.oid, NULL, c.relfilenode::bigint, NULL FROM pg_class c"
      + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'm') AND " + USER_SCHEMA
      + " UNION ALL SELECT CASE WHEN locktype = 'object' THEN 'type lock' ELSE 'lock' END,"
      + " CASE WHEN locktype = 'relation' THEN relation::bigint ELSE objid::bigint END, mode, NULL, granted"
      + " FROM pg_locks WHERE pid = ?"
      + " AND (locktype = 'relation' OR (locktype = 'object' AND classid = 'pg_type'::regclass))";

  private Catalog() {}

  /** Names, index tables, storage files and the backend {@code pid}'s locks, in one round trip. */
  static Snapshot snapshot(Connection connection, int pid) throws SQLException {
    Map<Long, String> names = new HashMap<>();
    Map<Long, String> indexTables = new HashMap<>();
    Map<Long, Long> files = new HashMap<>();
    List<RawLock> locks = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(SNAPSHOT)) {
      statement.setInt(1, pid);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          long oid = rows.getLong(2);
          switch (rows.getString(1)) {
            case "name" -> names.put(oid, rows.getString(3));
            case "index" -> indexTables.put(oid, rows.getString(3));
            case "file" -> files.put(oid, rows.getLong(4));
            default -> {
              LockMode mode = LockMode.fromPgLocks(rows.getString(3));
              if (mode != null) {
                locks.add(new RawLock(oid, rows.getString(1).equals("type lock"), mode, rows.getBoolean(5)));
              }
            }
          }
        }
      }
    }
    return new Snapshot(names, indexTables, files, locks);
  }

  /**
   * Names of user tables, indexes and types by oid: tables as {@code orders} (or {@code schema.orders}
   * outside public), types as {@code type mood}.
   */
  static Map<Long, String> names(Connection connection) throws SQLException {
    Map<Long, String> names = new HashMap<>();
    String relations = "SELECT c.oid, CASE WHEN n.nspname = 'public' THEN c.relname ELSE n.nspname || '.' || c.relname END"
        + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        + " WHERE c.relkind IN ('r', 'p', 'm', 'i', 'I') AND " + USER_SCHEMA;
    String types = "SELECT t.oid, 'type ' || t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
        + " WHERE t.typtype IN ('e', 'd', 'c') AND " + USER_SCHEMA;
    try (Statement statement = connection.createStatement()) {
      for (String query : List.of(relations, types)) {
        try (ResultSet rows = statement.executeQuery(query)) {
          while (rows.next()) {
            names.put(rows.getLong(1), rows.getString(2));
          }
        }
      }
    }
    return names;
  }

  /** The table of every user index, by the index's oid, named as {@link #names} names tables. */
  static Map<Long, String> indexTables(Connection connection) throws SQLException {
    Map<Long, String> tables = new HashMap<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT x.indexrelid,"
            + " CASE WHEN n.nspname = 'public' THEN c.relname ELSE n.nspname || '.' || c.relname END"
            + " FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE " + USER_SCHEMA)) {
      while (rows.next()) {
        tables.put(rows.getLong(1), rows.getString(2));
      }
    }
    return tables;
  }

  /** The storage file of every user table and materialized view, by oid: a rewrite changes it. */
  static Map<Long, Long> storageFiles(Connection connection) throws SQLException {
    Map<Long, Long> files = new HashMap<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT c.oid, c.relfilenode FROM pg_class c"
            + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'm') AND " + USER_SCHEMA)) {
      while (rows.next()) {
        files.put(rows.getLong(1), rows.getLong(2));
      }
    }
    return files;
  }

  /** The table-level and type locks the backend {@code pid} holds or waits for. */
  static List<RawLock> locks(Connection connection, int pid) throws SQLException {
    List<RawLock> locks = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(
        "SELECT CASE WHEN locktype = 'relation' THEN relation::bigint ELSE objid::bigint END,"
            + " locktype = 'object', mode, granted FROM pg_locks WHERE pid = ?"
            + " AND (locktype = 'relation' OR (locktype = 'object' AND classid = 'pg_type'::regclass))")) {
      statement.setInt(1, pid);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          LockMode mode = LockMode.fromPgLocks(rows.getString(3));
          if (mode != null) {
            locks.add(new RawLock(rows.getLong(1), rows.getBoolean(2), mode, rows.getBoolean(4)));
          }
        }
      }
    }
    return locks;
  }

  static int backendPid(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT pg_backend_pid()")) {
      rows.next();
      return rows.getInt(1);
    }
  }
}
