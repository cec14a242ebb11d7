package dev.lockstep.reconcile;

import dev.lockstep.api.StepState;
import dev.lockstep.api.StepStatus;
import java.util.List;

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
}
