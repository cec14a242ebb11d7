package dev.lockstep.steps;

/**
 * Facts a finished step reports for status.
 *
 * @param versionBefore the schema version before a migrate or undo ran, or {@code null}
 * @param versionAfter the schema version after it ran; becomes {@code status.schemaVersion}
 * @param lockRetries statements retried after hitting the lock timeout
 * @param lockWaitMillis time lost to those retries (failed attempts and backoff), in milliseconds
 */
public record StepReport(String versionBefore, String versionAfter, Integer lockRetries, Long lockWaitMillis) {

  public StepReport(String versionBefore, String versionAfter, Integer lockRetries) {
    this(versionBefore, versionAfter, lockRetries, null);
  }
}
