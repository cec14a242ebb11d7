package dev.lockstep.runner.retry;

/** A unit of work kept hitting lock conflicts until the retry budget was spent. */
public final class LockRetriesExhausted extends Exception {

  private final int retries;

  LockRetriesExhausted(String unit, int retries, Exception lastFailure) {
    super(unit + ": still blocked after " + retries + " lock retries", lastFailure);
    this.retries = retries;
  }

  public int retries() {
    return retries;
  }

  /** The lock conflict of the last attempt. */
  public Exception lastFailure() {
    return (Exception) getCause();
  }
}
