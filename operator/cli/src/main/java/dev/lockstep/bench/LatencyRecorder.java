package dev.lockstep.bench;

import dev.lockstep.runner.SqlErrors;
import java.sql.SQLException;
import java.util.Arrays;
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
  /** Every request: when it was due (System.nanoTime) and how long it waited, to summarise any stretch of time. */
  private long[] dues = new long[1024];
  private long[] waits = new long[1024];
  private int samples;

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
    long waited = Math.min(HIGHEST_MICROS, TimeUnit.NANOSECONDS.toMicros(nanos));
    micros.recordValue(waited);
    if (samples == dues.length) {
      dues = Arrays.copyOf(dues, samples * 2);
      waits = Arrays.copyOf(waits, samples * 2);
    }
    dues[samples] = dueNanos;
    waits[samples] = waited;
    samples++;
    if (nanos >= maxNanos) {
      maxNanos = nanos;
      slowestDueNanos = dueNanos;
    }
  }

  /**
   * The requests of all {@code recorders} that were due from {@code fromNanos} up to {@code toNanos}
   * (System.nanoTime): what the load saw while one command ran. Failures are not told apart here.
   */
  static LatencySummary mergeDueWithin(Collection<LatencyRecorder> recorders, long fromNanos, long toNanos) {
    Histogram within = new Histogram(HIGHEST_MICROS, 3);
    long maxMicros = 0;
    long slowestDue = 0;
    for (LatencyRecorder recorder : recorders) {
      for (int i = 0; i < recorder.samples; i++) {
        long due = recorder.dues[i];
        if (due >= fromNanos && due <= toNanos) {
          within.recordValue(recorder.waits[i]);
          if (recorder.waits[i] >= maxMicros) {
            maxMicros = recorder.waits[i];
            slowestDue = due;
          }
        }
      }
    }
    if (within.getTotalCount() == 0) {
      return new LatencySummary(0, 0, 0, 0, 0, 0, Map.of());
    }
    return new LatencySummary(within.getTotalCount(), 0, within.getValueAtPercentile(50) / 1000.0,
        within.getValueAtPercentile(99) / 1000.0, maxMicros / 1000.0, slowestDue, Map.of());
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
