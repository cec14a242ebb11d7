package dev.lockstep.runner.repair;

import dev.lockstep.protocol.StuckState;
import dev.lockstep.runner.flyway.SchemaHistory;
import dev.lockstep.runner.migrate.InvalidIndexes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Finds what keeps migrations stuck until a person repairs it: failed rows of Flyway's history,
 * Flyway's advisory lock held by another session, and invalid indexes no session is building.
 *
 * <p>Lockstep takes no advisory lock of its own (one migration per database is a Kubernetes Lease),
 * so Flyway's is the only database lock to look for.
 */
public final class StuckStates {

  /**
   * Flyway's PostgreSQL advisory lock is {@code 77431708279161 + hashCode()} of its history table's
   * quoted name ({@code PostgreSQLAdvisoryLockTemplate}); pg_locks shows a bigint key split into
   * {@code classid} (high 32 bits) and {@code objid} (low 32 bits), with {@code objsubid = 1}.
   */
  static final long FLYWAY_LOCK_BASE = 77431708279161L;

  private StuckStates() {}

  /** All stuck states of the database {@code connection} is in, failed rows first. */
  public static List<StuckState> detect(Connection connection) throws SQLException {
    List<StuckState> found = new ArrayList<>(failedMigrations(connection));
    found.addAll(heldLocks(connection));
    found.addAll(invalidIndexes(connection));
    return found;
  }

  /** The failed rows of flyway_schema_history (Flyway's {@code success = false}), oldest first. */
  public static List<StuckState> failedMigrations(Connection connection) throws SQLException {
    List<StuckState> failed = new ArrayList<>();
    for (SchemaHistory.Row row : SchemaHistory.failedRows(connection)) {
      failed.add(StuckState.failedMigration(row.version(), row.script()));
    }
    return failed;
  }

  /** Flyway's advisory lock on this database's history table, held by sessions other than this one. */
  public static List<StuckState> heldLocks(Connection connection) throws SQLException {
    List<StuckState> held = new ArrayList<>();
    String sql =
        """
        SELECT l.pid, a.application_name, EXTRACT(EPOCH FROM now() - a.backend_start)::bigint
          FROM pg_locks l
          JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
           AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
           AND ((l.classid::bigint << 32) | l.objid::bigint) = ?
           AND l.pid <> pg_backend_pid()
         ORDER BY a.backend_start
        """;
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setLong(1, flywayLockKey(connection));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          held.add(StuckState.heldLock(rows.getInt(1), rows.getString(2), rows.getLong(3)));
        }
      }
    }
    return held;
  }

  /** Invalid indexes that no session is building right now. */
  public static List<StuckState> invalidIndexes(Connection connection) throws SQLException {
    List<StuckState> invalid = new ArrayList<>();
    for (InvalidIndexes.Index index : InvalidIndexes.createdSince(connection, Set.of())) {
      invalid.add(StuckState.invalidIndex(index.schema() + "." + index.name(), index.table()));
    }
    return invalid;
  }

  /** The key of Flyway's lock for the history table in the connection's current schema. */
  static long flywayLockKey(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("SELECT current_schema()");
        ResultSet rows = statement.executeQuery()) {
      rows.next();
      String table = "\"" + rows.getString(1) + "\".\"" + SchemaHistory.TABLE + "\"";
      return FLYWAY_LOCK_BASE + table.hashCode();
    }
  }
}
