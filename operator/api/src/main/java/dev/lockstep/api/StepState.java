package dev.lockstep.api;

/** State of one step. */
public enum StepState {
  Pending,
  Running,
  Succeeded,
  Failed,
  /** Being undone. */
  RollingBack,
  RolledBack,
  /** Its undo failed: rollback stopped here. */
  UndoFailed;
}
