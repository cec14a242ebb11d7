package dev.lockstep.api;

/** What started a rollback. */
public enum RollbackCause {
  /** A step failed or ran out of time. */
  StepFailed,
  /** A guard (pods ready, Prometheus) was breached while steps ran. */
  GuardBreached,
  /** A person annotated the migration {@code lockstep.dev/abort=true}. */
  Aborted
}
