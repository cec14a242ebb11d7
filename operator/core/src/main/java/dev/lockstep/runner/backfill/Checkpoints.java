package dev.lockstep.runner.backfill;

import dev.lockstep.runner.RunnerFailure;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The {@code lockstep_backfill_progress} table: one row per checkpoint id, in the target database,
 * updated by the very statement of every batch ({@link BatchStatement}) — so the checkpoint and the
 * rows it covers commit together, and a killed Job resumes exactly after the last committed batch.
 *
 * <p>The operator (or a person) can read progress from it: {@code rows_done}, {@code batches},
 * {@code estimated_rows}, {@code rows_per_second}, {@code batch_size}, {@code throttled} (why the
 * backfill is waiting now, or null), {@code updated_at}, {@code finished_at}.
 */
final class Checkpoints {

  static final String TABLE = "lockstep_backfill_progress";

  private static final String CREATE =
      """
      CREATE TABLE IF NOT EXISTS lockstep_backfill_progress (
        checkpoint       text PRIMARY KEY,
        table_name       text NOT NULL,
        set_expression   text NOT NULL,
        where_expression text NOT NULL,
        last_key         text[],
        rows_done        bigint NOT NULL DEFAULT 0,
        batches          bigint NOT NULL DEFAULT 0,
        longest_batch_ms bigint NOT NULL DEFAULT 0,
        estimated_rows   bigint,
        rows_per_second  double precision,
        batch_size       bigint,
        throttled        text,
        started_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        finished_at      timestamptz
      )
      """;

  private static final String COLUMNS =
      "checkpoint, last_key, rows_done, batches, longest_batch_ms, estimated_rows, finished_at IS NOT NULL";

  private Checkpoints() {}

  /** Columns added since the table was first created, for tables an older runner made. */
  private static final String ADD_NEW_COLUMNS =
      "ALTER TABLE lockstep_backfill_progress ADD COLUMN IF NOT EXISTS batch_size bigint,"
          + " ADD COLUMN IF NOT EXISTS throttled text";

  static void createTableIfMissing(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(CREATE);
    }
    boolean current;
    try (PreparedStatement columns = connection.prepareStatement(
        "SELECT count(*) = 2 FROM pg_attribute WHERE attrelid = to_regclass(?) AND attname IN ('batch_size', 'throttled')"
            + " AND NOT attisdropped")) {
      columns.setString(1, TABLE);
      try (ResultSet row = columns.executeQuery()) {
        row.next();
        current = row.getBoolean(1);
      }
    }
    if (!current) {
      // Only when missing: ALTER TABLE takes a lock that concurrent runners would queue behind.
      try (Statement statement = connection.createStatement()) {
        statement.execute(ADD_NEW_COLUMNS);
      }
    }
  }

  /**
   * The checkpoint {@code id}, created if new. A checkpoint belongs to one backfill: reusing its id
   * for another table or other expressions is refused, since its last key would mean nothing there.
   *
   */
  static Checkpoint startOrResume(Connection connection, String id, BackfillTable table, String set, String where)
      throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO " + TABLE + " (checkpoint, table_name, set_expression, where_expression)"
            + " VALUES (?, ?, ?, ?) ON CONFLICT (checkpoint) DO NOTHING")) {
      insert.setString(1, id);
      insert.setString(2, table.displayName());
      insert.setString(3, set);
      insert.setString(4, where);
      insert.executeUpdate();
    }
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT table_name, set_expression, where_expression FROM " + TABLE + " WHERE checkpoint = ?")) {
      select.setString(1, id);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        if (!row.getString(1).equals(table.displayName())
            || !row.getString(2).equals(set)
            || !row.getString(3).equals(where)) {
          throw RunnerFailure.badInput(
              "checkpoint " + id + " belongs to another backfill (" + row.getString(1) + " SET "
                  + row.getString(2) + " WHERE " + row.getString(3) + "); give this one its own --checkpoint");
        }
      }
    }
    return read(connection, id);
  }

  /**
   * How far another backfill of the same table got: the last key its committed batches covered, or
   * empty when it has no checkpoint or no batch committed yet. An undo is bounded by it
   * ({@code --within-checkpoint}), so that it puts back only the keys the backfill went over.
   */
  static Optional<List<String>> coveredUpTo(Connection connection, String id, BackfillTable table) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT table_name, last_key FROM " + TABLE + " WHERE checkpoint = ?")) {
      select.setString(1, id);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        if (!row.getString(1).equals(table.displayName())) {
          throw RunnerFailure.badInput("--within-checkpoint " + id + " is a backfill of " + row.getString(1)
              + ", not of " + table.displayName() + "; give the checkpoint of the backfill this one undoes");
        }
        Array lastKey = row.getArray(2);
        return lastKey == null ? Optional.empty() : Optional.of(List.of((String[]) lastKey.getArray()));
      }
    }
  }

  /**
   * Records the planner's estimate of the rows still to change, taken at the start of a run.
   *
   * @param estimatedRemaining the estimate, or null when the planner gave none
   */
  static Checkpoint recordEstimate(Connection connection, Checkpoint checkpoint, Long estimatedRemaining)
      throws SQLException {
    try (PreparedStatement estimate = connection.prepareStatement(
        "UPDATE " + TABLE + " SET estimated_rows = rows_done + ?, updated_at = now()"
            + " WHERE checkpoint = ? AND finished_at IS NULL")) {
      if (estimatedRemaining == null) {
        estimate.setNull(1, java.sql.Types.BIGINT);
      } else {
        estimate.setLong(1, estimatedRemaining);
      }
      estimate.setString(2, checkpoint.id());
      estimate.executeUpdate();
    }
    return read(connection, checkpoint.id());
  }

  /** The checkpoint as committed. */
  static Checkpoint read(Connection connection, String id) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT " + COLUMNS + " FROM " + TABLE + " WHERE checkpoint = ?")) {
      select.setString(1, id);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          throw new SQLException("checkpoint " + id + " disappeared from " + TABLE);
        }
        Array lastKey = row.getArray(2);
        long estimated = row.getLong(6);
        Long estimatedRows = row.wasNull() ? null : estimated;
        return new Checkpoint(
            row.getString(1),
            lastKey == null ? null : Arrays.asList((String[]) lastKey.getArray()),
            row.getLong(3),
            row.getLong(4),
            row.getLong(5),
            estimatedRows,
            row.getBoolean(7));
      }
    }
  }

  /**
   * Records the figures of a run that only its end knows — the longest batch (each batch records
   * the longest before it, so that the batch statement needs no second round trip) and the speed.
   */
  static void recordRun(Connection connection, String id, long longestBatchMillis, double rowsPerSecond)
      throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(
        "UPDATE " + TABLE + " SET longest_batch_ms = greatest(longest_batch_ms, ?), rows_per_second = ?"
            + " WHERE checkpoint = ?")) {
      update.setLong(1, longestBatchMillis);
      update.setDouble(2, rowsPerSecond);
      update.setString(3, id);
      update.executeUpdate();
    }
  }

  /**
   * Says why the backfill waits ({@code throttled}), for the operator's progress line; the next
   * batch clears it.
   */
  static void recordThrottled(Connection connection, String id, String reason) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(
        "UPDATE " + TABLE + " SET throttled = ?, updated_at = now() WHERE checkpoint = ?")) {
      update.setString(1, reason);
      update.setString(2, id);
      update.executeUpdate();
    }
  }

  /** Marks the backfill done: no row after the last key matches any more. */
  static Checkpoint finish(Connection connection, Checkpoint before) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(
        "UPDATE " + TABLE + " SET finished_at = now(), updated_at = now() WHERE checkpoint = ?")) {
      update.setString(1, before.id());
      update.executeUpdate();
    }
    return new Checkpoint(
        before.id(), before.lastKey(), before.rows(), before.batches(), before.longestBatchMillis(),
        before.estimatedRows(), true);
  }
}
