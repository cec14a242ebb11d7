package dev.lockstep.jobs;

import dev.lockstep.protocol.RunnerResult;

/**
 * What a runner Job is doing, as far as the operator can see it.
 *
 * @param phase where the Job is
 * @param result the runner's JSON result from the pod's termination message, when it wrote one
 * @param message why the Job failed or is stuck, in words fit for a status message
 * @param killed the Job failed because its runner was killed before it wrote a result: its pod was
 *     deleted (or its container killed) while it ran, not past the Job's deadline
 */
public record JobState(Phase phase, RunnerResult result, String message, boolean killed) {

  public JobState(Phase phase, RunnerResult result, String message) {
    this(phase, result, message, false);
  }

  /**
   * Whether the Job ended because its pod was terminated: the runner stopped on SIGTERM and said so
   * in its result, or was killed before it could. What it committed stays; another attempt can
   * continue from it.
   */
  public boolean interrupted() {
    return phase == Phase.FAILED && (killed || (result != null && Boolean.TRUE.equals(result.getInterrupted())));
  }

  /** Where a Job is. */
  public enum Phase {
    /** No Job of that name exists. */
    MISSING,
    /** Created and not finished; the message may say why its pod is stuck. */
    RUNNING,
    SUCCEEDED,
    FAILED
  }

  public static JobState missing() {
    return new JobState(Phase.MISSING, null, null);
  }

  public static JobState running(String message) {
    return new JobState(Phase.RUNNING, null, message);
  }

  public static JobState succeeded(RunnerResult result) {
    return new JobState(Phase.SUCCEEDED, result, null);
  }

  public static JobState failed(String message, RunnerResult result) {
    return new JobState(Phase.FAILED, result, message);
  }

  /** Failed because the runner was killed (its pod deleted) before it wrote a result. */
  public static JobState killed(String message) {
    return new JobState(Phase.FAILED, null, message, true);
  }
}
