package dev.lockstep.reconcile;

import dev.lockstep.api.Phase;
import dev.lockstep.api.StepState;
import dev.lockstep.api.StepStatus;
import dev.lockstep.steps.StepObservation;
import java.time.Duration;

/** The decisions of a rollback: completed steps are undone newest first, until none is left or one cannot be. */
final class RollbackDecisions {

  private RollbackDecisions() {}

  static Decision startRollback(DecisionDraft p, String why) {
    p.status.setRollbackReason(why);
    return p.phase(Phase.RollingBack, MigrationDecider.NOW, Health.progressing("RollingBack", "rolling back: " + why));
  }

  static Decision rollingBack(DecisionDraft p) {
    StepStatus undoing = p.firstIn(StepState.RollingBack);
    String why = p.status.getRollbackReason();
    if (undoing != null) {
      p.status.setCurrentStep(undoing.getName());
      StepObservation seen = p.observed.step();
      if (seen == null || seen.outcome() == StepObservation.Outcome.RUNNING) {
        if (seen != null) {
          undoing.setMessage(seen.message());
        }
        Duration recheck = seen == null || seen.recheckAfter() == null ? Duration.ofSeconds(5) : seen.recheckAfter();
        return p.hold(recheck, Health.progressing("RollingBack", "undoing step " + undoing.getName()));
      }
      if (seen.outcome() == StepObservation.Outcome.MISSING) {
        return p.act(new Action.UndoStep(undoing.getName()), Duration.ofSeconds(1),
            Health.progressing("RollingBack", "undoing step " + undoing.getName()));
      }
      undoing.setFinishedAt(p.now.toString());
      if (seen.outcome() == StepObservation.Outcome.FAILED) {
        undoing.setState(StepState.UndoFailed);
        undoing.setMessage("undo failed: " + seen.message());
        return p.phase(Phase.Failed, null, Health.stalled("UndoFailed", "rollback stopped: undoing step "
            + undoing.getName() + " failed: " + seen.message() + " (rollback started because " + why + ")"));
      }
      undoing.setState(StepState.RolledBack);
      undoing.setMessage(seen.message());
      if (seen.report() != null) {
        // Undoing the first migrate of an empty database leaves no version at all.
        p.status.setSchemaVersion(seen.report().versionAfter());
      }
      return p.hold(MigrationDecider.NOW, Health.progressing("RollingBack", "undid step " + undoing.getName()));
    }
    StepStatus next = p.nextToUndo();
    if (next == null) {
      return p.phase(Phase.RolledBack, null, Health.stalled("RolledBack", "rolled back because " + why));
    }
    p.status.setCurrentStep(next.getName());
    if (p.observed.irreversible() != null) {
      return p.phase(Phase.Failed, null, Health.stalled("PointOfNoReturn", "rollback stopped at step "
          + next.getName() + ", which cannot be undone: " + p.observed.irreversible()
          + ". Earlier steps stay applied (rollback started because " + why + ")"));
    }
    next.setState(StepState.RollingBack);
    next.setMessage("undoing");
    return p.act(new Action.UndoStep(next.getName()), MigrationDecider.NOW,
        Health.progressing("RollingBack", "undoing step " + next.getName()));
  }

}
