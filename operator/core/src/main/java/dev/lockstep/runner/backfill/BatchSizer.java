package dev.lockstep.runner.backfill;

import java.time.Duration;

/**
 * Sizes batches by time, the way pt-online-schema-change sizes its chunks: after each batch the
 * next one gets as many rows as the last batch's speed says fit in the target time, within a
 * minimum and a maximum.
 *
 * <p>A batch holds the locks of every row it changes until it commits, so its duration — not its
 * row count — is what the application feels. How many rows fit in 50 ms depends on the row width,
 * the indexes, the triggers, the disk and whatever else the server is doing, and it changes while
 * the backfill runs; a fixed size is either too small (slow) or too large (long locks).
 *
 * <p>The speed is smoothed (an exponentially weighted average of rows per nanosecond), so that one
 * batch slowed by a checkpoint does not halve the size; a batch over the target shrinks the next
 * one at once, since a long batch is what must not repeat. Growth is at most doubling per batch.
 */
final class BatchSizer {

  /** Weight of the newest batch in the smoothed speed. */
  private static final double WEIGHT = 0.5;
  /** The most a batch may grow over the previous one. */
  private static final double MAX_GROWTH = 2.0;

  private final Duration target;
  private final int min;
  private final int max;
  private int size;
  private double rowsPerNano = Double.NaN;

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
    double speed = rows / (double) Math.max(nanos, 1);
    rowsPerNano = Double.isNaN(rowsPerNano) ? speed : WEIGHT * speed + (1 - WEIGHT) * rowsPerNano;
    double fits = rowsPerNano * target.toNanos();
    if (nanos > target.toNanos()) {
      // Over the target: size from this batch's own speed too, whichever is smaller.
      fits = Math.min(fits, speed * target.toNanos());
    }
    double next = Math.min(fits, size * MAX_GROWTH);
    size = clamp(Math.round(next));
  }

  private int clamp(long rows) {
    return (int) Math.max(min, Math.min(max, rows));
  }
}
