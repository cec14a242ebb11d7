package dev.lockstep.steps;

import dev.lockstep.gates.CompatibilityCheck;
import dev.lockstep.gates.PodFailure;

/** A compatibility check that is not satisfied, as a hold: the workload, the pods at fault, the sentence. */
final class CompatibilityHolds {

  private CompatibilityHolds() {}

  static Hold of(CompatibilityCheck check) {
    return new Hold(Hold.Gate.COMPATIBILITY, check.workload(),
        check.failures().stream().map(PodFailure::pod).toList(), check.message());
  }
}
