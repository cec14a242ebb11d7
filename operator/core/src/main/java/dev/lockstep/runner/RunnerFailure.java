package dev.lockstep.runner;

/**
 * Why a runner command stopped, as one line for the operator, with the exit code the Job ends with.
 *
 * <p>The exit code tells the operator whether another attempt can help: {@link #DATABASE_WORK_FAILED}
 * (1) may succeed later (a lock conflict, a database that was down), {@link #BAD_INPUT} (2) will not
 * until someone changes the resource, the scripts or the Secret.
 */
public final class RunnerFailure extends RuntimeException {

  /** The database work failed: an SQL error, lock retries exhausted, a missing undo script. */
  public static final int DATABASE_WORK_FAILED = 1;
  /** The input is wrong: a missing environment variable, an unparsable option, no scripts directory. */
  public static final int BAD_INPUT = 2;
  /** Stopped on SIGTERM before the work was done (128 + 15, as a process ended by SIGTERM exits). */
  public static final int INTERRUPTED = 143;

  private final int exitCode;

  private RunnerFailure(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public static RunnerFailure badInput(String message) {
    return new RunnerFailure(BAD_INPUT, message, null);
  }

  public static RunnerFailure databaseWork(String message) {
    return new RunnerFailure(DATABASE_WORK_FAILED, message, null);
  }

  public static RunnerFailure databaseWork(String message, Throwable cause) {
    return new RunnerFailure(DATABASE_WORK_FAILED, message, cause);
  }

  /** SIGTERM stopped the work at a safe point; what was committed stays, and a new run continues from it. */
  public static RunnerFailure interrupted(String message) {
    return new RunnerFailure(INTERRUPTED, message, null);
  }

  /** Whether the command stopped because it was asked to (SIGTERM), not because something failed. */
  public boolean interrupted() {
    return exitCode == INTERRUPTED;
  }

  public int exitCode() {
    return exitCode;
  }
}
