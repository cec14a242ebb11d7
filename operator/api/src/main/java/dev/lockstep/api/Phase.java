package dev.lockstep.api;

/** Where a migration is in its life. */
public enum Phase {
  Pending,
  Queued,
  Validating,
  Progressing,
  WaitingForApproval,
  Paused,
  RollingBack,
  Succeeded,
  RolledBack,
  Failed;

  /** A terminal phase changes only when a person acts (retry) or the spec grows new steps. */
  public boolean isTerminal() {
    return this == Succeeded || this == RolledBack || this == Failed;
  }

  /** Waiting for a person is not failure: Argo CD shows it as Suspended. */
  public boolean isWaitingForPerson() {
    return this == WaitingForApproval || this == Paused;
  }
}
