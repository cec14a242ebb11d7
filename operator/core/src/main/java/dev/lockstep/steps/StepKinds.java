package dev.lockstep.steps;

import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.Step;
import dev.lockstep.api.StepStatus;

/**
 * What the engine must know about a step's kind to decide, answered by its handler: plain code, so the
 * decider stays free of I/O while never switching on the kind itself.
 */
public interface StepKinds {

  /** Whether a failed attempt of {@code step} got part of the way, so rollback must undo it too. */
  boolean partlyApplied(SchemaMigration migration, Step step, StepStatus failed);
}
