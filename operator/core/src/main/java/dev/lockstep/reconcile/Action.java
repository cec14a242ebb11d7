package dev.lockstep.reconcile;

/**
 * The side effect a decision asks for. At most one per reconcile: one step moves at a time, which
 * keeps every crash point easy to reason about.
 */
public sealed interface Action {

  /** Nothing to do but record status. */
  record None() implements Action {}

  /** Start (or adopt) the current attempt of a step, as recorded in the new status. */
  record StartStep(String step) implements Action {}

  /** Start (or adopt) the undo of a step. */
  record UndoStep(String step) implements Action {}

  /** Start (or adopt) the Job that inspects the scripts image, while validating. */
  record InspectScripts() implements Action {}

  /** Start (or adopt) the repair Job of a failed step, attempt as recorded in {@code status.repair}. */
  record RepairStep(String step) implements Action {}

  /** Remove an annotation a person set, once it has been acted on (a retry happens once). */
  record ClearAnnotation(String key) implements Action {}

  Action NONE = new None();
}
