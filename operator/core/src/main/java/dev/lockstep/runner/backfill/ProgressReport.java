package dev.lockstep.runner.backfill;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/** Writes a backfill's progress to the Job's log, at most once per interval. */
final class ProgressReport {

  private final String table;
  private final Consumer<String> log;
  private final LongSupplier nanoClock;
  private final long intervalNanos;
  private final long startedNanos;
  private long lastReportNanos;

  ProgressReport(String table, Consumer<String> log, LongSupplier nanoClock, Duration interval) {
    this.table = table;
    this.log = log;
    this.nanoClock = nanoClock;
    this.intervalNanos = interval.toNanos();
    this.startedNanos = nanoClock.getAsLong();
    this.lastReportNanos = startedNanos;
  }

  /** Rows per second changed by this run so far. */
  double rowsPerSecond(long rowsThisRun) {
    double seconds = (nanoClock.getAsLong() - startedNanos) / 1e9;
    return seconds <= 0 ? 0 : rowsThisRun / seconds;
  }

  /** Reports {@code checkpoint} if the interval has passed since the last report. */
  void batchDone(Checkpoint checkpoint, long rowsThisRun) {
    long now = nanoClock.getAsLong();
    if (now - lastReportNanos >= intervalNanos) {
      lastReportNanos = now;
      log.accept(line(checkpoint, rowsThisRun));
    }
  }

  /** The progress line: rows, batches, share of the estimate, speed. */
  String line(Checkpoint checkpoint, long rowsThisRun) {
    StringBuilder line = new StringBuilder("backfill ").append(table).append(": ")
        .append(checkpoint.rows()).append(" rows in ").append(checkpoint.batches()).append(" batches");
    Long estimate = checkpoint.estimatedRows();
    if (estimate != null && estimate > 0 && !checkpoint.finished()) {
      // The estimate comes from planner statistics; never claim 100% before the end.
      long percent = Math.min(99, checkpoint.rows() * 100 / estimate);
      line.append(" (~").append(percent).append("% of ~").append(estimate).append(")");
    }
    line.append(", ").append(Math.round(rowsPerSecond(rowsThisRun))).append(" rows/s");
    return line.toString();
  }
}
