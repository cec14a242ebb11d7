package dev.lockstep.runner.retry;

import dev.lockstep.runner.RunnerFailure;
import dev.lockstep.runner.SqlErrors;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs units of work that may hit a lock conflict (lock_timeout, deadlock) and retries them with
 * backoff.
 *
 * <p>A unit must be safe to run again after a lock conflict: a transaction that was rolled back, or
 * work that cleans up after itself before it throws. The budget of retries applies to each unit on
 * its own (a migrate run, one undo script, one backfill batch), so that a long backfill does not
 * fail because of conflicts spread over hours; the counts and the time lost add up over all units.
 */
public final class LockRetry {

  /** One attempt of a unit of work. */
  @FunctionalInterface
  public interface Attempt<T> {
    T run() throws Exception;
  }

  private final int maxRetries;
  private final Backoff backoff;
  private final Sleeper sleeper;
  private final Consumer<String> report;
  private int retries;
  private long lostNanos;

  /**
   * @param maxRetries retries allowed per unit of work, after its first attempt
   * @param report where a line about each retry goes (the Job's log)
   */
  public LockRetry(int maxRetries, Backoff backoff, Sleeper sleeper, Consumer<String> report) {
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must be >= 0, got " + maxRetries);
    }
    this.maxRetries = maxRetries;
    this.backoff = backoff;
    this.sleeper = sleeper;
    this.report = report;
  }

  /**
   * Runs {@code attempt} until it succeeds, fails with something other than a lock conflict (thrown
   * as is), or has hit lock conflicts more than {@code maxRetries} times in a row.
   *
   * @param unit names the work in log lines, e.g. the script file name
   * @throws LockRetriesExhausted when the budget is spent; the last conflict is its cause
   */
  public <T> T run(String unit, Attempt<T> attempt) throws Exception {
    return run(() -> unit, attempt);
  }

  /** Like {@link #run(String, Attempt)}, naming the unit only when it fails (e.g. by the script that failed). */
  public <T> T run(Supplier<String> unit, Attempt<T> attempt) throws Exception {
    for (int retry = 1; ; retry++) {
      long started = System.nanoTime();
      try {
        return attempt.run();
      } catch (Exception e) {
        if (!SqlErrors.isLockConflict(e)) {
          throw e;
        }
        lostNanos += System.nanoTime() - started;
        if (retry > maxRetries) {
          throw new LockRetriesExhausted(unit.get(), maxRetries, e);
        }
        Duration delay = backoff.delayBefore(retry);
        report.accept(
            unit.get() + ": " + SqlErrors.describe(e) + "; retry " + retry + " of " + maxRetries
                + " in " + delay.toMillis() + " ms");
        waitBeforeRetry(delay);
        retries++;
      }
    }
  }

  private void waitBeforeRetry(Duration delay) {
    long started = System.nanoTime();
    try {
      sleeper.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RunnerFailure.databaseWork("interrupted while waiting to retry after a lock conflict");
    } finally {
      lostNanos += System.nanoTime() - started;
    }
  }

  /** Retries made so far, over all units. */
  public int retries() {
    return retries;
  }

  /** Time lost to lock conflicts so far: failed attempts plus backoff, over all units. */
  public Duration timeLost() {
    return Duration.ofNanos(lostNanos);
  }
}
