package dev.lockstep.api;

/**
 * Why a migration ended {@code Failed}. Each value is also the reason of its {@code Ready}
 * condition, and decides what the retry and abort annotations can do next.
 */
public enum FailureReason {
  /** The spec (or its dependencies) is invalid; nothing ran. Editing the spec queues it again. */
  ValidationFailed,
  /** A step failed with no rollback to run (policy Manual, or nothing to undo). Retry or abort. */
  StepFailed,
  /** Undoing a step failed and stopped the rollback. Retrying runs the undo again. */
  UndoFailed,
  /** The rollback reached a step that cannot be undone; the steps before it stay applied. */
  PointOfNoReturn
}
