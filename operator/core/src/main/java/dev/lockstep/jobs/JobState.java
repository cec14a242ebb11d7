package dev.lockstep.jobs;

import dev.lockstep.protocol.RunnerResult;

/**
 * What a runner Job is doing, as far as the operator can see it.
 *
 * @param phase where the Job is
 * @param result the runner's JSON result from the pod's termination message, when it wrote one
 * @param message why the Job failed or is stuck, in words fit for a status message
 */
public record JobState(Phase phase, RunnerResult result, String message) {

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
}
