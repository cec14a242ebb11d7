package dev.lockstep.runner.retry;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: a uniformly random delay between zero and
 * {@code min(cap, base * 2^(retry - 1))}.
 *
 * <p>Full jitter spreads out the retries of several waiters, so that a migration does not come back
 * at the same moment as the application's queries it just let through (see "Exponential Backoff And
 * Jitter", AWS Architecture Blog, 2015).
 */
public final class FullJitterBackoff implements Backoff {

  /** The defaults: about 200 ms for the first retry, never more than 5 s. */
  public static final Duration DEFAULT_BASE = Duration.ofMillis(200);
  public static final Duration DEFAULT_CAP = Duration.ofSeconds(5);

  private final long baseMillis;
  private final long capMillis;
  private final RandomGenerator random;

  public FullJitterBackoff(Duration base, Duration cap, RandomGenerator random) {
    if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < base <= cap, got " + base + " and " + cap);
    }
    this.baseMillis = base.toMillis();
    this.capMillis = cap.toMillis();
    this.random = random;
  }

  public static FullJitterBackoff withDefaults() {
    return new FullJitterBackoff(DEFAULT_BASE, DEFAULT_CAP, RandomGenerator.getDefault());
  }

  /** The upper bound of the delay before retry number {@code retry}. */
  public Duration ceilingBefore(int retry) {
    // Shifting by 62 or more would overflow; by then the cap has long been reached.
    int doublings = Math.min(Math.max(retry - 1, 0), 40);
    long ceiling = baseMillis << doublings;
    return Duration.ofMillis(ceiling <= 0 ? capMillis : Math.min(capMillis, ceiling));
  }

  @Override
  public Duration delayBefore(int retry) {
    long ceiling = ceilingBefore(retry).toMillis();
    return Duration.ofMillis(random.nextLong(ceiling + 1));
  }
}
