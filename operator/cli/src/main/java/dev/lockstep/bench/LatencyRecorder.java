package dev.lockstep.bench;

import dev.lockstep.runner.SqlErrors;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The latencies and failures of one load thread's requests.
 *
 * <p>Each thread records into its own recorder, without locks; the recorders are merged once the
 * threads have stopped. Latencies go into an HdrHistogram in microseconds (3 significant digits,
 * so a percentile is off by at most 0.1%); the largest is also kept exactly.
 */
final class LatencyRecorder {

  /** Longer waits than an hour are counted as an hour; the load gives up on a request long before. */
  private static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);
  /** Distinct errors kept by their message; more kinds than this are counted together. */
  private static final int ERROR_KINDS = 10;
  private static final String OTHER_ERRORS = "other errors";

  private final Histogram micros = new Histogram(HIGHEST_MICROS, 3);
  private long maxNanos;
  /** When the slowest request was due (System.nanoTime), to tell what the database was doing then. */
  private long slowestDueNanos;
  private long failed;
  private final Map<String, Long> errors = new LinkedHashMap<>();

  /** A request that was due at {@code dueNanos} and answered at {@code endNanos} (System.nanoTime). */
  void succeeded(long dueNanos, long endNanos) {
    record(dueNanos, endNanos);
  }

  /** A failed request counts with the time it took, like any other: an error is also a wait. */
  void failed(long dueNanos, long endNanos, SQLException error) {
    record(dueNanos, endNanos);
    failed++;
    String kind = SqlErrors.describe(error);
    if (!errors.containsKey(kind) && errors.size() >= ERROR_KINDS) {
      kind = OTHER_ERRORS;
    }
    errors.merge(kind, 1L, Long::sum);
  }

  private void record(long dueNanos, long endNanos) {
    long nanos = Math.max(0, endNanos - dueNanos);
    micros.recordValue(Math.min(HIGHEST_MICROS, TimeUnit.NANOSECONDS.toMicros(nanos)));
    if (nanos >= maxNanos) {
      maxNanos = nanos;
      slowestDueNanos = dueNanos;
    }
  }

  /** The requests of all {@code recorders} together. */
  static LatencySummary merge(Collection<LatencyRecorder> recorders) {
    Histogram all = new Histogram(HIGHEST_MICROS, 3);
    long maxNanos = 0;
    long slowestDueNanos = 0;
    long failed = 0;
    Map<String, Long> errors = new LinkedHashMap<>();
    for (LatencyRecorder recorder : recorders) {
      all.add(recorder.micros);
      if (recorder.maxNanos >= maxNanos) {
        maxNanos = recorder.maxNanos;
        slowestDueNanos = recorder.slowestDueNanos;
      }
      failed += recorder.failed;
      recorder.errors.forEach((kind, count) -> errors.merge(kind, count, Long::sum));
    }
    if (all.getTotalCount() == 0) {
      return new LatencySummary(0, 0, 0, 0, 0, 0, Map.of());
    }
    return new LatencySummary(
        all.getTotalCount(),
        failed,
        all.getValueAtPercentile(50) / 1000.0,
        all.getValueAtPercentile(99) / 1000.0,
        maxNanos / 1e6,
        slowestDueNanos,
        errors);
  }
}
