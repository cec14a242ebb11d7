package dev.lockstep.runner.migrate;

import dev.lockstep.runner.Identifiers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds and drops the INVALID indexes that failed {@code CREATE INDEX CONCURRENTLY} builds leave.
 *
 * <p>A concurrent build commits the index's catalog entry first and builds it afterwards; when it
 * fails (a lock timeout while it waits for older transactions, a unique violation), the index stays,
 * marked {@code indisvalid = false}: never used by queries, still updated by every write. Worse, a
 * retry of {@code CREATE INDEX CONCURRENTLY IF NOT EXISTS} would then succeed without building
 * anything. So the runner drops such an index before it retries — but only one that did not exist
 * before its attempt and that no session is building right now, so that it never touches an index
 * somebody else is working on.
 */
public final class InvalidIndexes {

  /** An index, by oid and by name. */
  public record Index(long oid, String schema, String name, String table) {

    public String qualifiedName() {
      return Identifiers.quote(schema, name);
    }

    @Override
    public String toString() {
      return schema + "." + name + " on " + table;
    }
  }

  private InvalidIndexes() {}

  /** The oids of all indexes of the database right now. */
  public static Set<Long> snapshot(Connection connection) throws SQLException {
    Set<Long> oids = new HashSet<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT indexrelid::bigint FROM pg_index")) {
      while (rows.next()) {
        oids.add(rows.getLong(1));
      }
    }
    return oids;
  }

  /** Invalid indexes that are not in {@code before} (all: an empty set) and that no session is still building. */
  public static List<Index> createdSince(Connection connection, Set<Long> before) throws SQLException {
    List<Index> invalid = new ArrayList<>();
    String sql =
        """
        SELECT i.indexrelid::bigint, n.nspname, c.relname, t.relname
          FROM pg_index i
          JOIN pg_class c ON c.oid = i.indexrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
          JOIN pg_class t ON t.oid = i.indrelid
         WHERE NOT i.indisvalid
           AND i.indexrelid NOT IN (SELECT index_relid FROM pg_stat_progress_create_index
                                     WHERE index_relid IS NOT NULL)
        """;
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        Index index = new Index(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4));
        if (!before.contains(index.oid())) {
          invalid.add(index);
        }
      }
    }
    return invalid;
  }

  /**
   * Drops {@code index} without blocking the table's readers and writers. Like the build, the drop
   * waits for older transactions and can itself hit lock_timeout (the caller retries).
   */
  public static void drop(Connection connection, Index index) throws SQLException {
    connection.setAutoCommit(true); // DROP INDEX CONCURRENTLY cannot run in a transaction
    try (Statement statement = connection.createStatement()) {
      statement.execute("DROP INDEX CONCURRENTLY IF EXISTS " + index.qualifiedName());
    }
  }
}
