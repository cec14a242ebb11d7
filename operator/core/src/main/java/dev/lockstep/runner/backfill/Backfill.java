package dev.lockstep.runner.backfill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.runner.RunnerContext;
import dev.lockstep.runner.RunnerFailure;
import dev.lockstep.runner.SqlErrors;
import dev.lockstep.runner.retry.LockRetriesExhausted;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code lockstep backfill}: changes the rows of a table in batches, each its own short
 * transaction, resumable from a checkpoint kept in the database.
 *
 * <p>See {@link BatchStatement} for why each matching row is changed exactly once even while the
 * application writes to the table, and {@link Checkpoints} for how a killed run resumes.
 */
public final class Backfill {

  /** How often progress goes to the log. */
  static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(10);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final RunnerContext context;
  private final Duration progressInterval;

  public Backfill(RunnerContext context) {
    this(context, PROGRESS_INTERVAL);
  }

  Backfill(RunnerContext context, Duration progressInterval) {
    this.context = context;
    this.progressInterval = progressInterval;
  }

  public void run(BackfillRequest request) throws Exception {
    try (Connection connection = context.connections().open()) {
      BackfillTable table = TableCatalog.resolve(connection, request.table());
      Long estimate = checkStatement(connection, table, request);
      Checkpoints.createTableIfMissing(connection);
      Checkpoint checkpoint =
          Checkpoints.startOrResume(connection, request.checkpoint(), table, request.set(), request.where(), estimate);
      report(checkpoint);
      if (checkpoint.finished()) {
        context.report("backfill " + table.displayName() + ": checkpoint " + checkpoint.id()
            + " is already finished; nothing to do");
        return;
      }
      context.report("backfill " + table.displayName() + ": "
          + (checkpoint.batches() == 0 ? "starting" : "resuming after " + checkpoint.rows() + " rows")
          + ", batches of " + request.batchSize() + ", ~" + (estimate == null ? "?" : estimate) + " rows to change"
          + " (checkpoint " + checkpoint.id() + ")");
      checkpoint = runBatches(connection, table, request, checkpoint);
      context.report("backfill " + table.displayName() + ": finished, " + checkpoint.rows() + " rows");
    }
  }

  /** Runs batches until none is left; the result follows every committed batch. */
  private Checkpoint runBatches(Connection connection, BackfillTable table, BackfillRequest request, Checkpoint start)
      throws Exception {
    ProgressReport progress = new ProgressReport(table.displayName(), context::report, System::nanoTime, progressInterval);
    connection.setAutoCommit(false);
    Checkpoint checkpoint = start;
    long rowsThisRun = 0;
    while (!checkpoint.finished()) {
      if (Thread.currentThread().isInterrupted()) {
        throw interrupted(checkpoint);
      }
      long rowsSoFar = rowsThisRun;
      Checkpoint before = checkpoint;
      try {
        checkpoint = context.lockRetry().run(
            "batch " + (before.batches() + 1) + " of " + table.displayName(),
            () -> runBatch(connection, table, request, progress, rowsSoFar));
      } catch (LockRetriesExhausted e) {
        throw RunnerFailure.databaseWork(
            e.getMessage() + ": " + SqlErrors.describe(e.lastFailure()) + "; run again to continue from the checkpoint", e);
      } catch (SQLException e) {
        throw RunnerFailure.databaseWork(
            "batch " + (before.batches() + 1) + " of " + table.displayName() + " failed: " + SqlErrors.describe(e), e);
      }
      rowsThisRun += checkpoint.rows() - before.rows();
      report(checkpoint);
      if (!checkpoint.finished()) {
        progress.batchDone(checkpoint, rowsThisRun);
        pause(request.pause(), checkpoint);
      }
    }
    context.report(progress.line(checkpoint, rowsThisRun));
    return checkpoint;
  }

  /** One batch and its checkpoint, in one transaction. */
  private Checkpoint runBatch(
      Connection connection, BackfillTable table, BackfillRequest request, ProgressReport progress, long rowsThisRun)
      throws SQLException {
    long started = System.nanoTime();
    try {
      Checkpoint checkpoint = Checkpoints.lock(connection, request.checkpoint());
      if (checkpoint.finished()) {
        connection.commit();
        return checkpoint;
      }
      String sql = BatchStatement.sql(table, request.set(), request.where(), checkpoint.lastKey(), request.batchSize());
      List<String> lastKey = null;
      long rows = 0;
      try (Statement statement = connection.createStatement()) {
        statement.setEscapeProcessing(false); // the author's text is SQL, not JDBC escape syntax
        try (ResultSet result = statement.executeQuery(sql)) {
          if (result.next()) {
            int keyColumns = table.keyColumns().size();
            lastKey = new ArrayList<>();
            for (int i = 1; i <= keyColumns; i++) {
              lastKey.add(result.getString(i));
            }
            rows = result.getLong(keyColumns + 1);
          }
        }
      }
      Checkpoint after;
      if (rows == 0) {
        after = Checkpoints.finish(connection, checkpoint);
      } else {
        long millis = (System.nanoTime() - started) / 1_000_000;
        after = Checkpoints.recordBatch(
            connection, checkpoint, lastKey, rows, millis, progress.rowsPerSecond(rowsThisRun + rows));
      }
      connection.commit();
      return after;
    } catch (SQLException | RuntimeException e) {
      rollBack(connection, e);
      throw e;
    }
  }

  /**
   * Lets PostgreSQL check the statement before the first batch — a typo in {@code --set} or
   * {@code --where} is then bad input, reported before any checkpoint exists — and asks the
   * planner how many rows match.
   *
   * @return the planner's estimate of the rows still to change, or null if it gave none
   */
  private Long checkStatement(Connection connection, BackfillTable table, BackfillRequest request) throws Exception {
    String batch = BatchStatement.sql(table, request.set(), request.where(), null, request.batchSize());
    String matching = "SELECT 1 FROM " + table.qualifiedName() + " WHERE (\n" + request.where() + "\n)";
    try {
      return context.lockRetry().run("checking the backfill of " + table.displayName(), () -> {
        explain(connection, batch);
        return planRows(explain(connection, matching));
      });
    } catch (LockRetriesExhausted e) {
      throw RunnerFailure.databaseWork(e.getMessage() + ": " + SqlErrors.describe(e.lastFailure()), e);
    } catch (SQLException e) {
      throw RunnerFailure.badInput(
          "--set and --where do not make a valid update of " + table.displayName() + ": " + SqlErrors.describe(e));
    }
  }

  private static String explain(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.setEscapeProcessing(false);
      try (ResultSet plan = statement.executeQuery("EXPLAIN (FORMAT JSON) " + sql)) {
        plan.next();
        return plan.getString(1);
      }
    }
  }

  private static Long planRows(String planJson) {
    try {
      JsonNode rows = JSON.readTree(planJson).path(0).path("Plan").path("Plan Rows");
      return rows.isNumber() ? rows.asLong() : null;
    } catch (IOException e) {
      return null; // an estimate only feeds the progress line
    }
  }

  private void pause(Duration pause, Checkpoint checkpoint) {
    if (pause == null || pause.isZero()) {
      return;
    }
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted(checkpoint);
    }
  }

  private static RunnerFailure interrupted(Checkpoint checkpoint) {
    return RunnerFailure.databaseWork(
        "interrupted after " + checkpoint.rows() + " rows in " + checkpoint.batches()
            + " batches; run again to continue from checkpoint " + checkpoint.id());
  }

  private void report(Checkpoint checkpoint) {
    context.result().setRows(checkpoint.rows());
    context.result().setBatches(checkpoint.batches());
    context.result().setLongestBatchMillis(checkpoint.longestBatchMillis());
  }

  private static void rollBack(Connection connection, Exception failure) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }
}
