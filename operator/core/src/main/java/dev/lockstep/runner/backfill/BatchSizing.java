package dev.lockstep.runner.backfill;

import dev.lockstep.runner.RunnerFailure;
import java.time.Duration;

/**
 * How a backfill sizes its batches.
 *
 * @param first rows (primary keys) in the first batch, and in every batch when {@code target} is 0
 * @param target the duration each batch aims at (pt-online-schema-change's chunk time); zero keeps
 *     every batch at {@code first} rows
 * @param min the fewest rows a batch sized by time may have
 * @param max the most rows a batch sized by time may have
 */
public record BatchSizing(int first, Duration target, int min, int max) {

  public static final int DEFAULT_FIRST = 1000;
  public static final Duration DEFAULT_TARGET = Duration.ofMillis(50);
  public static final int DEFAULT_MIN = 100;
  public static final int DEFAULT_MAX = 100_000;

  public BatchSizing {
    if (first < 1) {
      throw RunnerFailure.badInput("--batch-size is " + first + "; give a number of rows of at least 1");
    }
    if (target == null || target.isNegative()) {
      throw RunnerFailure.badInput("--batch-time must be 0s (fixed batches) or more, such as 50ms");
    }
    if (min < 1) {
      throw RunnerFailure.badInput("--min-batch-size is " + min + "; give a number of rows of at least 1");
    }
    if (max < min) {
      throw RunnerFailure.badInput("--max-batch-size " + max + " is below --min-batch-size " + min
          + "; give a maximum at least as large as the minimum");
    }
    if (!target.isZero() && (first < min || first > max)) {
      throw RunnerFailure.badInput("--batch-size " + first + " is outside --min-batch-size " + min
          + " and --max-batch-size " + max + "; the first batch is sized within them too");
    }
  }

  /**
   * The sizing asked for, with the defaults for what was not: an unset minimum or maximum makes
   * room for the first batch's size, so that a small or large {@code --batch-size} alone is valid.
   */
  public static BatchSizing of(int first, Duration target, Integer min, Integer max) {
    return new BatchSizing(first, target,
        min != null ? min : Math.min(DEFAULT_MIN, Math.max(first, 1)),
        max != null ? max : Math.max(DEFAULT_MAX, first));
  }

  /** Batches of {@code rows} rows each, not sized by time. */
  public static BatchSizing fixed(int rows) {
    return new BatchSizing(rows, Duration.ZERO, 1, Math.max(1, rows));
  }
}
