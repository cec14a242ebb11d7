package dev.lockstep.steps;

import dev.lockstep.api.Step;
import dev.lockstep.api.StepStatus;

/**
 * What the engine must know about a step's kind to decide, answered by its handler: plain code, so the
 * decider stays free of I/O while never switching on the kind itself.
 */
public interface StepKinds {

  /** Whether a guard breach may stop a running {@code step} at once (it changes nothing, like a wait). */
  boolean stoppedAtOnceByBreach(Step step);

  /** Whether a failed attempt of {@code step} got part of the way, so rollback must undo it too. */
  boolean partlyApplied(Step step, StepStatus failed);
}
