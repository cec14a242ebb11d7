package dev.lockstep.reconcile;

import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.Step;
import dev.lockstep.api.StepState;
import dev.lockstep.api.StepStatus;
import dev.lockstep.steps.StepKinds;
import java.util.List;

/** The order rollback walks: newest change first. */
final class RollbackOrder {

  private RollbackOrder() {}

  /**
   * The newest step that changed something and is not undone yet: a succeeded step, or a failed one
   * whose handler says it got part of the way (a migrate whose first scripts applied before one failed,
   * a backfill whose Job ran, a flags step that saved a flag's definition before writing it).
   */
  static StepStatus nextToUndo(SchemaMigration migration, List<StepStatus> steps, StepKinds kinds) {
    for (int i = steps.size() - 1; i >= 0; i--) {
      StepStatus s = steps.get(i);
      if (s.getState() == StepState.Succeeded) {
        return s;
      }
      if (s.getState() == StepState.Failed) {
        Step spec = migration.getSpec().getSteps().stream()
            .filter(step -> s.getName().equals(step.getName())).findFirst().orElse(null);
        if (spec != null && kinds.partlyApplied(migration, spec, s)) {
          return s;
        }
      }
    }
    return null;
  }
}
