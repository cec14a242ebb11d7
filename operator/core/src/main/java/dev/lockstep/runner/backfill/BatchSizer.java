package dev.lockstep.runner.backfill;

import java.time.Duration;

/**
 * Sizes batches by time, the way pt-online-schema-change sizes its chunks: after each batch the
 * next one gets as many rows as fit in the target time, within a minimum and a maximum.
 *
 * <p>A batch holds the locks of every row it changes until it commits, so its duration — not its
 * row count — is what the application feels. How many rows fit in 50 ms depends on the row width,
 * the indexes, the triggers, the disk and whatever else the server is doing, and it changes while
 * the backfill runs; a fixed size is either too small (slow) or too large (long locks).
 *
 * <p>The goal is that no batch takes much longer than the target, not that the average meets it.
 * So the size follows the slowest of the last {@value #WINDOW} batches' speeds (rows per
 * nanosecond), not their average: where the speed jitters (a checkpoint's full-page writes,
 * autovacuum, another process taking the CPU), batches sit below the target by about the jitter,
 * and a batch that meets a slow moment stays within about twice the target. Where the speed is
 * steady, the slowest and the average agree and batches fill the target. A batch over the target
 * shrinks the next one at once (its own speed is in the window); growth is at most
 * {@value #MAX_GROWTH}-fold per batch, so a run of lucky fast batches cannot jump the size.
 */
final class BatchSizer {

  /** Batches whose speeds the next size is judged on. */
  static final int WINDOW = 8;
  /** The most a batch may grow over the previous one. */
  static final double MAX_GROWTH = 1.5;

  private final Duration target;
  private final int min;
  private final int max;
  private final double[] speeds = new double[WINDOW];
  private int batches;
  private int size;

  /**
   * @param first rows in the first batch; clamped into [min, max]
   * @param target the duration each batch aims at; zero keeps every batch at {@code first} rows
   */
  BatchSizer(int first, Duration target, int min, int max) {
    if (min < 1 || max < min) {
      throw new IllegalArgumentException("batch sizes need 1 <= min <= max, got min " + min + ", max " + max);
    }
    this.target = target;
    this.min = min;
    this.max = max;
    this.size = target.isZero() ? first : clamp(first);
  }

  /** Rows (primary keys) in the next batch. */
  int size() {
    return size;
  }

  /** Whether sizes follow the target time (false: every batch has the same size). */
  boolean adaptive() {
    return !target.isZero();
  }

  /**
   * Takes the duration of a batch of {@code rows} keys into account.
   *
   * @param rows keys the batch covered (not only the rows it changed: the others were read too)
   */
  void batchTook(int rows, long nanos) {
    if (!adaptive() || rows <= 0) {
      return;
    }
    speeds[batches++ % WINDOW] = rows / (double) Math.max(nanos, 1);
    double slowest = Double.MAX_VALUE;
    for (int i = 0; i < Math.min(batches, WINDOW); i++) {
      slowest = Math.min(slowest, speeds[i]);
    }
    double fits = slowest * target.toNanos();
    size = clamp(Math.round(Math.min(fits, size * MAX_GROWTH)));
  }

  private int clamp(long rows) {
    return (int) Math.max(min, Math.min(max, rows));
  }
}
