package dev.lockstep.bench;

import java.time.Duration;
import java.util.List;

/**
 * What one run of the online-safety benchmark measures with.
 *
 * @param rowSweep table sizes, ascending: the backfill comparison runs at each, the phases under
 *     load at the largest
 * @param threads load threads, each with its own connection
 * @param requestsPerSecond the load's pace, over all threads together
 * @param lockTimeout the runner's {@code --lock-timeout}, for both ways of applying the change
 * @param batchSize rows per backfill batch when batches have a fixed size; null when they are
 *     sized by time
 * @param batchTime the duration each backfill batch aims at (the runner's {@code --batch-time})
 *     when {@code batchSize} is null
 */
public record BenchSettings(
    List<Integer> rowSweep, int threads, int requestsPerSecond, Duration lockTimeout, Integer batchSize,
    Duration batchTime) {

  public BenchSettings {
    if (rowSweep == null || rowSweep.isEmpty()) {
      throw new IllegalArgumentException("--rows is empty; give a number of rows such as 1000000,"
          + " or several for a sweep: 100000,1000000");
    }
    for (int rows : rowSweep) {
      requireAtLeast(rows, 1, "--rows");
    }
    rowSweep = rowSweep.stream().distinct().sorted().toList();
    requireAtLeast(threads, 1, "--threads");
    requireAtLeast(requestsPerSecond, threads, "--rate");
    if (batchSize != null) {
      requireAtLeast(batchSize, 1, "--batch-size");
    }
    if (batchTime == null || batchTime.isZero() || batchTime.isNegative()) {
      throw new IllegalArgumentException("--batch-time must be more than 0, such as 50ms");
    }
    if (lockTimeout == null || lockTimeout.isZero() || lockTimeout.isNegative()) {
      throw new IllegalArgumentException("--lock-timeout must be more than 0, such as 2s");
    }
  }

  /** One table size, batches sized by time. */
  public static BenchSettings of(int rows, int threads, int requestsPerSecond, Duration lockTimeout, Integer batchSize) {
    return new BenchSettings(List.of(rows), threads, requestsPerSecond, lockTimeout, batchSize, Duration.ofMillis(50));
  }

  /** The rows of the table the phases under load start from: the largest of the sweep. */
  public int rows() {
    return rowSweep.get(rowSweep.size() - 1);
  }

  /** How the report names the batching, e.g. {@code 1,000 rows a batch} or {@code batches sized to 50 ms}. */
  String batching() {
    return batchSize != null
        ? String.format(java.util.Locale.ROOT, "%,d rows a batch", batchSize)
        : "batches sized to " + batchTime.toMillis() + " ms";
  }

  private static void requireAtLeast(int value, int minimum, String option) {
    if (value < minimum) {
      throw new IllegalArgumentException(option + " is " + value + "; give at least " + minimum
          + ("--rate".equals(option) ? " (one request per second for each of the --threads)" : ""));
    }
  }
}
