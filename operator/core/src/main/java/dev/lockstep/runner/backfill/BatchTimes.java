package dev.lockstep.runner.backfill;

import java.util.Arrays;

/** The durations of a run's batches, for their percentiles; a batch costs 8 bytes. */
final class BatchTimes {

  private long[] nanos = new long[64];
  private int count;
  private long longest;

  void add(long batchNanos) {
    if (count == nanos.length) {
      nanos = Arrays.copyOf(nanos, count * 2);
    }
    nanos[count++] = batchNanos;
    longest = Math.max(longest, batchNanos);
  }

  int count() {
    return count;
  }

  long longestMillis() {
    return Math.round(longest / 1e6);
  }

  /** The nearest-rank percentile, in whole milliseconds; 0 before the first batch. */
  long percentileMillis(double percent) {
    if (count == 0) {
      return 0;
    }
    long[] sorted = Arrays.copyOf(nanos, count);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(percent / 100 * count);
    return Math.round(sorted[Math.max(0, Math.min(count, rank) - 1)] / 1e6);
  }

  /** e.g. {@code p50 48 ms, p99 61 ms, max 70 ms}. */
  String describe() {
    return "p50 " + percentileMillis(50) + " ms, p99 " + percentileMillis(99) + " ms, max " + longestMillis() + " ms";
  }
}
