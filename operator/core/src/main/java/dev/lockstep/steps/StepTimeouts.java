package dev.lockstep.steps;

import dev.lockstep.api.Durations;
import dev.lockstep.api.SchemaMigrationSpec;
import dev.lockstep.api.Step;
import java.time.Duration;

/** A step's time limit: its own {@code timeout}, else {@code spec.timeouts.step}, else 15 minutes. */
public final class StepTimeouts {

  public static final Duration DEFAULT = Duration.ofMinutes(15);

  private StepTimeouts() {}

  public static Duration of(SchemaMigrationSpec spec, Step step) {
    if (step.getTimeout() != null) {
      return Durations.parse(step.getTimeout(), "steps[" + step.getName() + "].timeout");
    }
    String fallback = spec.getTimeouts() == null ? null : spec.getTimeouts().getStep();
    return Durations.parseOr(fallback, "spec.timeouts.step", DEFAULT);
  }
}
