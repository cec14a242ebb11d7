package dev.lockstep.steps;

import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.StepStatus;
import dev.lockstep.validate.StepKindValidator;

/**
 * Carries out one kind of step. The engine decides <em>when</em>; the handler knows <em>how</em>, checks
 * its kind's spec ({@link StepKindValidator}), and answers what the engine must know about the kind.
 * Adding a kind is one API class, one handler and one line in {@code LockstepOperator}; see
 * docs/architecture.md.
 *
 * <p>Every method must be idempotent: the operator can die at any instant and the same call will be
 * made again by the next reconcile. Handlers hold no state of their own; what must survive a
 * restart lives in the resource's status.
 */
public interface StepHandler extends StepKindValidator {

  /**
   * Begins the current attempt recorded in {@code context.status()}; a repeat adopts it. A handler
   * that must record something before its first write returns it here and writes on the next call.
   */
  StepEffects start(StepContext context);

  /** Begins reverting a completed step; a repeat adopts the undo already under way. */
  StepEffects undo(StepContext context);

  /**
   * Where the step stands: its current attempt, or its undo when {@link StepContext#undoing()}.
   * Reads only; changes nothing.
   */
  StepObservation observe(StepContext context);

  /**
   * Why this step cannot be undone, or {@code null} when it can. A step that cannot be undone is a
   * point of no return for rollback.
   */
  String whyIrreversible(StepContext context);

  /**
   * Starts (or adopts) attempt {@code attempt} of the repair of what the failed step left (its
   * report carried a {@code repair}); only kinds whose failures can need one implement it.
   */
  default StepEffects repair(StepContext context, int attempt) {
    return StepEffects.failed("a " + field() + " step leaves nothing a repair could clear");
  }

  /** Where attempt {@code attempt} of the repair stands. Reads only. */
  default StepObservation observeRepair(StepContext context, int attempt) {
    return StepObservation.failed("a " + field() + " step leaves nothing a repair could clear", null);
  }

  /**
   * Whether a failed attempt got part of the way (some of its changes stayed), so rollback undoes it
   * too; plain code over what status recorded.
   */
  default boolean partlyApplied(SchemaMigration migration, StepStatus failed) {
    return false;
  }
}
