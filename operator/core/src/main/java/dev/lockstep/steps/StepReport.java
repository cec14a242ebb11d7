package dev.lockstep.steps;

import dev.lockstep.api.RepairStatus;

/**
 * Facts a finished step reports for status.
 *
 * @param versionBefore the schema version before a migrate or undo ran, or {@code null}
 * @param versionAfter the schema version after it ran; becomes {@code status.schemaVersion}
 * @param lockRetries statements retried after hitting the lock timeout
 * @param lockWaitMillis time lost to those retries (failed attempts and backoff), in milliseconds
 * @param rows rows a backfill (or its undo) changed, or {@code null}
 * @param repair what a failed attempt left that only a repair clears, or {@code null}: the step
 *     fails with it as its cause instead of being retried or rolled back
 * @param interrupted the attempt's Job ended because its pod was terminated (SIGTERM, or killed
 *     before it reported), not because its work failed: a resumable step may go on with a new attempt
 */
public record StepReport(
    String versionBefore, String versionAfter, Integer lockRetries, Long lockWaitMillis, Long rows,
    RepairStatus repair, boolean interrupted) {

  public StepReport(String versionBefore, String versionAfter, Integer lockRetries, Long lockWaitMillis, Long rows,
      RepairStatus repair) {
    this(versionBefore, versionAfter, lockRetries, lockWaitMillis, rows, repair, false);
  }

  public StepReport(String versionBefore, String versionAfter, Integer lockRetries, Long lockWaitMillis, Long rows) {
    this(versionBefore, versionAfter, lockRetries, lockWaitMillis, rows, null);
  }

  public StepReport(String versionBefore, String versionAfter, Integer lockRetries, Long lockWaitMillis) {
    this(versionBefore, versionAfter, lockRetries, lockWaitMillis, null);
  }

  public StepReport(String versionBefore, String versionAfter, Integer lockRetries) {
    this(versionBefore, versionAfter, lockRetries, null);
  }
}
