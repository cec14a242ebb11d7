package dev.lockstep.reconcile;

import dev.lockstep.api.Step;
import dev.lockstep.api.StepState;
import dev.lockstep.api.StepStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keeps {@code status.steps} in step with {@code spec.steps}. */
final class StepStatuses {

  private StepStatuses() {}

  /**
   * One entry per spec step, in spec order, keeping what was recorded for each name; new steps
   * start Pending. Entries of steps that were removed from the spec after they ran are kept at the
   * end: they are history, and rollback must still see them.
   */
  static List<StepStatus> align(List<StepStatus> recorded, List<Step> spec) {
    Map<String, StepStatus> byName = new LinkedHashMap<>();
    if (recorded != null) {
      for (StepStatus status : recorded) {
        byName.put(status.getName(), status);
      }
    }
    List<StepStatus> aligned = new ArrayList<>();
    for (Step step : spec) {
      StepStatus status = byName.remove(step.getName());
      if (status == null) {
        status = new StepStatus();
        status.setName(step.getName());
        status.setState(StepState.Pending);
      }
      aligned.add(status);
    }
    for (StepStatus removed : byName.values()) {
      if (removed.getState() != StepState.Pending) {
        aligned.add(removed);
      }
    }
    return aligned;
  }
}
