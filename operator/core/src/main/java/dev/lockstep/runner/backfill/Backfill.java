package dev.lockstep.runner.backfill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.gates.HttpPrometheusQuery;
import dev.lockstep.gates.PrometheusQuery;
import dev.lockstep.runner.RunnerContext;
import dev.lockstep.runner.RunnerFailure;
import dev.lockstep.runner.SqlErrors;
import dev.lockstep.runner.backfill.throttle.PrometheusThrottleSignal;
import dev.lockstep.runner.backfill.throttle.SqlThrottleSignal;
import dev.lockstep.runner.backfill.throttle.ThrottleGate;
import dev.lockstep.runner.backfill.throttle.ThrottleSettings;
import dev.lockstep.runner.retry.LockRetriesExhausted;
import dev.lockstep.runner.retry.Sleeper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code lockstep backfill}: changes the rows of a table in batches, each one statement over a
 * range of the primary key in its own short transaction, sized by time, held back by an optional
 * throttle, resumable from a checkpoint kept in the database.
 *
 * <p>See {@link BatchStatement} for why each matching row is changed exactly once even while the
 * application writes to the table, {@link BatchSizer} for the sizes, and {@link Checkpoints} for how
 * a killed run resumes.
 */
public final class Backfill {

  /** How often progress goes to the log. */
  static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(10);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final RunnerContext context;
  private final Duration progressInterval;
  private final PrometheusQuery prometheus;
  private final Sleeper sleeper;
  private final LiveProgress live;

  public Backfill(RunnerContext context) {
    this(context, LiveProgress.NONE);
  }

  /** @param live where the figures go as they change, for the operator to read while the Job runs */
  public Backfill(RunnerContext context, LiveProgress live) {
    this(context, PROGRESS_INTERVAL, new HttpPrometheusQuery(), Sleeper.THREAD, live);
  }

  Backfill(RunnerContext context, Duration progressInterval, PrometheusQuery prometheus, Sleeper sleeper) {
    this(context, progressInterval, prometheus, sleeper, LiveProgress.NONE);
  }

  Backfill(RunnerContext context, Duration progressInterval, PrometheusQuery prometheus, Sleeper sleeper,
      LiveProgress live) {
    this.live = live;
    this.context = context;
    this.progressInterval = progressInterval;
    this.prometheus = prometheus;
    this.sleeper = sleeper;
  }

  public void run(BackfillRequest request) throws Exception {
    try (Connection connection = context.connections().open()) {
      BackfillTable table = TableCatalog.resolve(connection, request.table());
      checkStatement(connection, table, request);
      checkThrottle(connection, request.throttle());
      Checkpoints.createTableIfMissing(connection);
      Checkpoint checkpoint =
          Checkpoints.startOrResume(connection, request.checkpoint(), table, request.set(), request.where());
      report(checkpoint);
      List<String> upTo = null;
      if (request.within() != null && !checkpoint.finished()) {
        upTo = Checkpoints.coveredUpTo(connection, request.within(), table).orElse(null);
        if (upTo == null) {
          checkpoint = Checkpoints.finish(connection, checkpoint);
          context.report("backfill " + table.displayName() + ": the backfill of checkpoint " + request.within()
              + " changed no batch, so there is nothing to put back");
          return;
        }
        context.report("backfill " + table.displayName() + ": only the keys the backfill of checkpoint "
            + request.within() + " went over, up to " + String.join(", ", upTo)
            + " (rows the application wrote beyond them stay as they are)");
      }
      if (checkpoint.finished()) {
        context.report("backfill " + table.displayName() + ": checkpoint " + checkpoint.id()
            + " is already finished; nothing to do");
        return;
      }
      analyze(connection, table);
      Long estimate = estimateRemaining(connection, table, request);
      checkpoint = Checkpoints.recordEstimate(connection, checkpoint, estimate);
      live.progress(checkpoint.rows(), checkpoint.estimatedRows(), 0);
      BatchSizing sizing = request.sizing();
      context.report("backfill " + table.displayName() + ": "
          + (checkpoint.batches() == 0 ? "starting" : "resuming after " + checkpoint.rows() + " rows")
          + ", " + (sizing.target().isZero()
              ? "batches of " + sizing.first() + " keys"
              : "batches sized to take " + sizing.target().toMillis() + " ms (" + sizing.min() + " to " + sizing.max()
                  + " keys, " + sizing.first() + " first)")
          + ", ~" + (estimate == null ? "?" : estimate) + " rows to change"
          + (request.throttle() == null ? "" : ", throttled above " + request.throttle().max())
          + " (checkpoint " + checkpoint.id() + ")");
      checkpoint = runBatches(connection, table, request, checkpoint, upTo);
      context.report("backfill " + table.displayName() + ": finished, " + checkpoint.rows() + " rows");
    }
  }

  /** Runs batches until none is left; the result follows every committed batch. */
  private Checkpoint runBatches(Connection connection, BackfillTable table, BackfillRequest request, Checkpoint start,
      List<String> upTo) throws Exception {
    ProgressReport progress = new ProgressReport(table.displayName(), context::report, System::nanoTime, progressInterval);
    BatchTimes times = new BatchTimes();
    BatchSizer sizer = new BatchSizer(
        request.sizing().first(), request.sizing().target(), request.sizing().min(), request.sizing().max());
    connection.setAutoCommit(false);
    ThrottleGate throttle = throttleGate(connection, request.throttle());
    Checkpoint checkpoint = start;
    BatchStart from = firstStart(connection, table, checkpoint);
    if (from == null) {
      checkpoint = Checkpoints.finish(connection, checkpoint);
      connection.commit();
    }
    long rowsThisRun = 0;
    try {
      while (!checkpoint.finished()) {
        if (Thread.currentThread().isInterrupted() || context.environment().termination().requested()) {
          // SIGTERM (or the thread's interrupt): the last batch is committed with its checkpoint, so
          // stopping here loses nothing and starts nothing; a new run continues from the checkpoint.
          throw interrupted(checkpoint);
        }
        Checkpoint waiting = checkpoint;
        try {
          throttle.awaitClearance(reason -> {
            Checkpoints.recordThrottled(connection, waiting.id(), reason);
            connection.commit();
            live.throttled(reason);
          });
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw interrupted(checkpoint);
        }
        Checkpoint before = checkpoint;
        BatchStart range = from;
        int size = sizer.size();
        BatchStatement.Figures figures = new BatchStatement.Figures(
            Math.round(progress.rowsPerSecond(rowsThisRun)),
            Math.max(before.longestBatchMillis(), times.longestMillis()), size);
        BatchOutcome outcome;
        try {
          outcome = context.lockRetry().run(
              "batch " + (before.batches() + 1) + " of " + table.displayName(),
              () -> runBatch(connection, table, request, before, range, upTo, size, figures));
        } catch (LockRetriesExhausted e) {
          throw RunnerFailure.databaseWork(
              e.getMessage() + ": " + SqlErrors.describe(e.lastFailure()) + "; run again to continue from the checkpoint", e);
        } catch (SQLException e) {
          throw RunnerFailure.databaseWork(
              "batch " + (before.batches() + 1) + " of " + table.displayName() + " failed: " + SqlErrors.describe(e), e);
        }
        if (outcome.checkpoint() == null) {
          // Another runner moved the checkpoint on: this batch was rolled back; continue from there.
          context.report("backfill " + table.displayName() + ": checkpoint " + before.id()
              + " was moved on by another runner; continuing from it");
          checkpoint = Checkpoints.read(connection, before.id());
          connection.commit();
          from = checkpoint.lastKey() == null ? firstStart(connection, table, checkpoint) : BatchStart.after(checkpoint.lastKey());
          continue;
        }
        times.add(outcome.nanos());
        sizer.batchTook(size, outcome.nanos());
        checkpoint = outcome.checkpoint();
        from = checkpoint.lastKey() == null ? null : BatchStart.after(checkpoint.lastKey());
        rowsThisRun += checkpoint.rows() - before.rows();
        live.progress(checkpoint.rows(), checkpoint.estimatedRows(), progress.rowsPerSecond(rowsThisRun));
        report(checkpoint, times, throttle);
        if (!checkpoint.finished()) {
          progress.batchDone(checkpoint, rowsThisRun);
          pause(request.pause(), checkpoint);
        }
      }
    } finally {
      report(checkpoint, times, throttle);
      if (times.count() > 0) {
        recordRun(connection, checkpoint, times, progress.rowsPerSecond(rowsThisRun));
      }
    }
    context.report(progress.line(checkpoint, rowsThisRun) + ", batches " + times.describe()
        + (throttle.pauses() == 0 ? "" : ", throttled " + throttle.pauses() + " times for "
            + throttle.throttled().toMillis() + " ms"));
    return checkpoint;
  }

  /** What one batch did: the checkpoint after it (null when another runner had moved it on) and its duration. */
  private record BatchOutcome(Checkpoint checkpoint, long nanos) {}

  /** One batch and its checkpoint: one statement, one commit. */
  private BatchOutcome runBatch(Connection connection, BackfillTable table, BackfillRequest request, Checkpoint before,
      BatchStart from, List<String> upTo, int size, BatchStatement.Figures figures) throws SQLException {
    long started = System.nanoTime();
    String sql = BatchStatement.sql(table, request.set(), request.where(), from, upTo, size, before.id(),
        before.batches(), figures);
    try {
      long changed;
      long recorded;
      boolean last;
      List<String> bound = null;
      try (Statement statement = connection.createStatement()) {
        statement.setEscapeProcessing(false); // the author's text is SQL, not JDBC escape syntax
        try (ResultSet result = statement.executeQuery(sql)) {
          result.next();
          changed = result.getLong(1);
          recorded = result.getLong(2);
          Object lastFlag = result.getObject(3);
          last = lastFlag == null || result.getBoolean(3);
          if (lastFlag != null) {
            bound = new ArrayList<>();
            for (int i = 0; i < table.keyColumns().size(); i++) {
              bound.add(result.getString(4 + i));
            }
          }
        }
      }
      if (recorded == 0) {
        connection.rollback();
        return new BatchOutcome(null, System.nanoTime() - started);
      }
      connection.commit();
      long nanos = System.nanoTime() - started;
      Checkpoint after = new Checkpoint(before.id(), bound == null ? before.lastKey() : bound,
          before.rows() + changed, before.batches() + (bound == null ? 0 : 1),
          before.longestBatchMillis(), before.estimatedRows(), last);
      return new BatchOutcome(after, nanos);
    } catch (SQLException | RuntimeException e) {
      rollBack(connection, e);
      throw e;
    }
  }

  /** Where the first batch of this run starts; null when the table has no row at all. */
  private BatchStart firstStart(Connection connection, BackfillTable table, Checkpoint checkpoint) throws SQLException {
    if (checkpoint.lastKey() != null) {
      return BatchStart.after(checkpoint.lastKey());
    }
    try (Statement statement = connection.createStatement();
        ResultSet first = statement.executeQuery(BatchStatement.firstKey(table))) {
      List<String> key = null;
      if (first.next()) {
        key = new ArrayList<>();
        for (int i = 1; i <= table.keyColumns().size(); i++) {
          key.add(first.getString(i));
        }
      }
      connection.commit();
      return key == null ? null : BatchStart.at(key);
    }
  }

  /**
   * Lets PostgreSQL check the statement before the first batch — a typo in {@code --set} or
   * {@code --where} is then bad input, reported before any checkpoint exists.
   */
  private void checkStatement(Connection connection, BackfillTable table, BackfillRequest request) throws Exception {
    try {
      context.lockRetry().run("checking the backfill of " + table.displayName(),
          () -> explain(connection, BatchStatement.check(table, request.set(), request.where())));
    } catch (LockRetriesExhausted e) {
      throw RunnerFailure.databaseWork(e.getMessage() + ": " + SqlErrors.describe(e.lastFailure()), e);
    } catch (SQLException e) {
      throw RunnerFailure.badInput(
          "--set and --where do not make a valid update of " + table.displayName() + ": " + SqlErrors.describe(e));
    }
  }

  /** An SQL throttle query that PostgreSQL refuses would hold the backfill back for ever: refuse it now. */
  private static void checkThrottle(Connection connection, ThrottleSettings throttle) {
    if (throttle == null || throttle.sql() == null) {
      return;
    }
    try {
      explain(connection, throttle.sql());
    } catch (SQLException e) {
      throw RunnerFailure.badInput("--throttle-sql is not a query PostgreSQL accepts: " + SqlErrors.describe(e));
    }
  }

  /**
   * Fresh statistics before the first batch: after an {@code ADD COLUMN} the new column has none,
   * and the planner's guesses about the {@code where} (and the progress estimate) would be off. A
   * failure only costs a worse estimate, so it is a warning.
   */
  private void analyze(Connection connection, BackfillTable table) {
    long started = System.nanoTime();
    try (Statement statement = connection.createStatement()) {
      statement.execute("ANALYZE " + table.qualifiedName());
      context.report("backfill " + table.displayName() + ": analyzed in "
          + (System.nanoTime() - started) / 1_000_000 + " ms");
    } catch (SQLException e) {
      context.warn("ANALYZE " + table.displayName() + " failed, so the planner works from older statistics: "
          + SqlErrors.describe(e));
    }
  }

  /** The planner's estimate of the rows still to change, or null if it gave none. */
  private Long estimateRemaining(Connection connection, BackfillTable table, BackfillRequest request) {
    String matching = "SELECT 1 FROM " + table.qualifiedName() + " WHERE (\n" + request.where() + "\n)";
    try {
      return planRows(explain(connection, matching));
    } catch (SQLException e) {
      return null; // an estimate only feeds the progress line
    }
  }

  private ThrottleGate throttleGate(Connection connection, ThrottleSettings throttle) {
    if (throttle == null) {
      return ThrottleGate.open();
    }
    var signal = throttle.sql() != null
        ? new SqlThrottleSignal(connection, throttle.sql())
        : new PrometheusThrottleSignal(prometheus, throttle.prometheusUrl(), throttle.prometheusQuery());
    return new ThrottleGate(signal, throttle.max(), throttle.interval(), sleeper, System::nanoTime, context::report);
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

  /** Writes what only the end of a run knows; a failure here loses a figure, not a row. */
  private void recordRun(Connection connection, Checkpoint checkpoint, BatchTimes times, double rowsPerSecond) {
    try {
      if (!connection.isClosed()) {
        connection.rollback(); // whatever a failed batch left open
        Checkpoints.recordRun(connection, checkpoint.id(), times.longestMillis(), rowsPerSecond);
        connection.commit();
      }
    } catch (SQLException e) {
      context.report("backfill: could not record the run's figures in the checkpoint: " + SqlErrors.describe(e));
    }
  }

  private void pause(Duration pause, Checkpoint checkpoint) {
    if (pause == null || pause.isZero()) {
      return;
    }
    try {
      sleeper.sleep(pause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted(checkpoint);
    }
  }

  private static RunnerFailure interrupted(Checkpoint checkpoint) {
    return RunnerFailure.interrupted(
        "interrupted after " + checkpoint.rows() + " rows in " + checkpoint.batches()
            + " batches; run again to continue from checkpoint " + checkpoint.id());
  }

  private void report(Checkpoint checkpoint) {
    context.result().setRows(checkpoint.rows());
    context.result().setBatches(checkpoint.batches());
    context.result().setLongestBatchMillis(checkpoint.longestBatchMillis());
  }

  private void report(Checkpoint checkpoint, BatchTimes times, ThrottleGate throttle) {
    report(checkpoint);
    context.result().setLongestBatchMillis(Math.max(checkpoint.longestBatchMillis(), times.longestMillis()));
    if (times.count() > 0) {
      context.result().setBatchMillisP50(times.percentileMillis(50));
      context.result().setBatchMillisP99(times.percentileMillis(99));
    }
    if (throttle.pauses() > 0) {
      context.result().setThrottledMillis(throttle.throttled().toMillis());
    }
  }

  private static void rollBack(Connection connection, Exception failure) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }
}
