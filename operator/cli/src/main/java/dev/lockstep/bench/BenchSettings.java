package dev.lockstep.bench;

import java.time.Duration;

/**
 * What one run of the online-safety benchmark measures with.
 *
 * @param rows rows in the table each phase starts from
 * @param threads load threads, each with its own connection
 * @param requestsPerSecond the load's pace, over all threads together
 * @param lockTimeout the runner's {@code --lock-timeout}, for both ways of applying the change
 * @param batchSize rows per backfill batch
 */
public record BenchSettings(int rows, int threads, int requestsPerSecond, Duration lockTimeout, int batchSize) {

  public BenchSettings {
    requireAtLeast(rows, 1, "--rows");
    requireAtLeast(threads, 1, "--threads");
    requireAtLeast(requestsPerSecond, threads, "--rate");
    requireAtLeast(batchSize, 1, "--batch-size");
    if (lockTimeout == null || lockTimeout.isZero() || lockTimeout.isNegative()) {
      throw new IllegalArgumentException("--lock-timeout must be more than 0, such as 2s");
    }
  }

  private static void requireAtLeast(int value, int minimum, String option) {
    if (value < minimum) {
      throw new IllegalArgumentException(option + " is " + value + "; give at least " + minimum
          + ("--rate".equals(option) ? " (one request per second for each of the --threads)" : ""));
    }
  }
}
