package dev.lockstep.reconcile;

import dev.lockstep.steps.StepObservation;
import java.util.List;

/**
 * What the reconciler saw of the world before deciding. Plain data, so the decision can be tested
 * without any of it.
 *
 * @param validationProblems problems found by validating the current spec, or {@code null} when
 *     validation did not run in this reconcile
 * @param step where the step that is running (or being undone) stands, or {@code null} when none is
 * @param irreversible why the next step to undo cannot be undone, or {@code null} when it can (or
 *     nothing is being rolled back)
 */
public record Observation(List<String> validationProblems, StepObservation step, String irreversible) {

  public static Observation nothing() {
    return new Observation(null, null, null);
  }

  public Observation withValidation(List<String> problems) {
    return new Observation(problems, step, irreversible);
  }

  public Observation withStep(StepObservation observation) {
    return new Observation(validationProblems, observation, irreversible);
  }

  public Observation withIrreversible(String why) {
    return new Observation(validationProblems, step, why);
  }
}
