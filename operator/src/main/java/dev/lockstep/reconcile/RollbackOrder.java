package dev.lockstep.reconcile;

import dev.lockstep.api.FlagChange;
import dev.lockstep.api.FlagStatus;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.Step;
import dev.lockstep.api.StepState;
import dev.lockstep.api.StepStatus;
import java.util.List;
import java.util.Map;

/** The order rollback walks: newest change first. */
final class RollbackOrder {

  private RollbackOrder() {}

  /**
   * The newest step that changed something and is not undone yet: a succeeded step, or a failed
   * migrate that got part of the way (its first scripts applied before one failed).
   */
  static StepStatus nextToUndo(List<StepStatus> steps) {
    for (int i = steps.size() - 1; i >= 0; i--) {
      StepStatus s = steps.get(i);
      boolean partial = s.getState() == StepState.Failed
          && s.getVersionAfter() != null
          && !s.getVersionAfter().equals(s.getVersionBefore());
      if (s.getState() == StepState.Succeeded || partial) {
        return s;
      }
    }
    return null;
  }

  /**
   * As {@link #nextToUndo(List)}, knowing the spec: a failed backfill whose Job ran changed some rows
   * before it stopped, and a failed flag step may have written a flag whose old definition is in
   * status; both are undone too (their undo puts back only what was changed).
   */
  static StepStatus nextToUndo(SchemaMigration migration, List<StepStatus> steps) {
    for (int i = steps.size() - 1; i >= 0; i--) {
      StepStatus s = steps.get(i);
      if (s == nextToUndo(List.of(s)) || (s.getState() == StepState.Failed && partlyApplied(migration, s))) {
        return s;
      }
    }
    return null;
  }

  private static boolean partlyApplied(SchemaMigration migration, StepStatus failed) {
    Step step = migration.getSpec().getSteps().stream()
        .filter(candidate -> failed.getName().equals(candidate.getName())).findFirst().orElse(null);
    if (step == null || step.kind() == null) {
      return false;
    }
    Map<String, FlagStatus> flags = migration.getStatus() == null ? null : migration.getStatus().getFlags();
    return switch (step.kind()) {
      case BACKFILL -> failed.getJob() != null;
      case FLAGS -> flags != null && step.getFlags().stream().map(FlagChange::getFlag)
          .anyMatch(flag -> flags.get(flag) != null && flags.get(flag).getPreviousDefinition() != null);
      case MIGRATE, WAIT -> false;
    };
  }
}
