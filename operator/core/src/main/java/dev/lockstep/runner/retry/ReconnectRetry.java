package dev.lockstep.runner.retry;

import dev.lockstep.runner.RunnerFailure;
import dev.lockstep.runner.SqlErrors;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Runs a whole runner command again, on new connections, after it lost its connection to the
 * database (the server restarted, failed over, or an administrator terminated the session).
 *
 * <p>That is safe because every command resumes by design: migrate skips the versions already
 * applied (a transactional script that was cut off was rolled back by the server), undo carries on
 * from the version it reached (each version is undone in one transaction with its history row), and
 * a backfill carries on from its checkpoint (written by the same statement as each batch). The
 * budget is small and the backoff longer than for lock conflicts: a restart takes seconds, and a
 * database that stays away fails the Job, which the operator reports.
 */
public final class ReconnectRetry {

  /** One run of the command. */
  @FunctionalInterface
  public interface Run {
    void run() throws Exception;
  }

  /** The defaults: about a second before the first new run, never more than 10 s between runs. */
  public static final Duration DEFAULT_BASE = Duration.ofSeconds(1);
  public static final Duration DEFAULT_CAP = Duration.ofSeconds(10);

  private final int maxReconnects;
  private final Backoff backoff;
  private final Sleeper sleeper;
  private final Consumer<String> report;
  private int reconnects;

  /**
   * @param maxReconnects new runs allowed after lost connections, in all
   * @param report where a line about each new run goes (the Job's log)
   */
  public ReconnectRetry(int maxReconnects, Backoff backoff, Sleeper sleeper, Consumer<String> report) {
    if (maxReconnects < 0) {
      throw new IllegalArgumentException("maxReconnects must be >= 0, got " + maxReconnects);
    }
    this.maxReconnects = maxReconnects;
    this.backoff = backoff;
    this.sleeper = sleeper;
    this.report = report;
  }

  public static ReconnectRetry withDefaults(int maxReconnects, Consumer<String> report) {
    return new ReconnectRetry(maxReconnects,
        new FullJitterBackoff(DEFAULT_BASE, DEFAULT_CAP, java.util.random.RandomGenerator.getDefault()),
        Sleeper.THREAD, report);
  }

  /**
   * Runs {@code command} until it ends without losing its connection, or has lost it more than
   * {@code maxReconnects} times (then the last failure is thrown as is). {@code beforeRerun} runs
   * before each new run, to keep what the failed run found out.
   */
  public void run(Run command, Runnable beforeRerun) throws Exception {
    for (int rerun = 1; ; rerun++) {
      try {
        command.run();
        return;
      } catch (Exception e) {
        if (!SqlErrors.isConnectionLost(e) || rerun > maxReconnects) {
          throw e;
        }
        Duration delay = backoff.delayBefore(rerun);
        report.accept("lost the connection to the database: " + SqlErrors.describe(e) + "; running again on a new"
            + " connection (" + rerun + " of " + maxReconnects + ") in " + delay.toMillis() + " ms");
        try {
          sleeper.sleep(delay);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw RunnerFailure.databaseWork("interrupted while waiting to reconnect to the database");
        }
        reconnects++;
        beforeRerun.run();
      }
    }
  }

  /** New runs made after lost connections. */
  public int reconnects() {
    return reconnects;
  }
}
