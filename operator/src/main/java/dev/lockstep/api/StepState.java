package dev.lockstep.api;

/** State of one step. */
public enum StepState {
  Pending,
  Running,
  Succeeded,
  Failed,
  RollingBack,
  RolledBack;

  public boolean isDone() {
    return this == Succeeded || this == Failed || this == RolledBack;
  }
}
