package dev.lockstep.runner.retry;

import java.time.Duration;

/** How long to wait before the {@code n}-th retry. */
@FunctionalInterface
public interface Backoff {

  /** The delay before retry number {@code retry} (1 for the first retry). */
  Duration delayBefore(int retry);
}
