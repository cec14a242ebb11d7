package dev.lockstep.reconcile;

import dev.lockstep.api.Annotations;
import dev.lockstep.api.Durations;
import dev.lockstep.api.FailureReason;
import dev.lockstep.api.Phase;
import dev.lockstep.api.RollbackCause;
import dev.lockstep.api.RollbackStatus;
import dev.lockstep.api.StepState;
import dev.lockstep.api.StepStatus;
import dev.lockstep.steps.StepObservation;
import dev.lockstep.steps.StepTimeouts;
import java.time.Duration;
import java.time.Instant;

/** The decisions of a rollback: completed steps are undone newest first, until none is left or one cannot be. */
final class RollbackDecisions {

  private RollbackDecisions() {}

  /**
   * @param cause what started it, kept in {@code status.rollback}
   * @param fromStep the step that failed, or ran or was next when it started; {@code null} if none
   * @param why the same for people ({@code status.rollbackReason} and messages)
   */
  static Decision startRollback(DecisionDraft p, RollbackCause cause, String fromStep, String why) {
    p.status.setRollback(new RollbackStatus(cause, fromStep));
    p.status.setRollbackReason(why);
    return p.phase(Phase.RollingBack, MigrationDecider.NOW, Health.progressing(Reason.RollingBack, "rolling back: " + why));
  }

  static Decision rollingBack(DecisionDraft p) {
    StepStatus undoing = p.firstIn(StepState.RollingBack);
    String why = p.status.getRollbackReason();
    if (undoing != null) {
      p.status.setCurrentStep(undoing.getName());
      StepObservation seen = p.observed.step();
      if (seen == null) {
        return stillUndoing(p, undoing, null, why);
      }
      return switch (seen.outcome()) {
        case RUNNING -> stillUndoing(p, undoing, seen, why);
        case MISSING, ACT_AGAIN -> p.act(new Action.UndoStep(undoing.getName()), Duration.ofSeconds(1),
            Health.progressing(Reason.RollingBack, "undoing step " + undoing.getName()));
        case FAILED -> seen.report() != null && seen.report().repair() != null
            ? RepairDecisions.undoNeedsRepair(p, undoing, seen.report().repair(), seen.message(), why)
            : undoFailed(p, undoing, "failed: " + seen.message(), why);
        case SUCCEEDED -> {
          undoing.setFinishedAt(p.now.toString());
          undoing.setState(StepState.RolledBack);
          undoing.setWaitingFor(null);
          undoing.setMessage(seen.message());
          if (seen.report() != null) {
            // Undoing the first migrate of an empty database leaves no version at all.
            p.status.setSchemaVersion(seen.report().versionAfter());
          }
          yield p.hold(MigrationDecider.NOW, Health.progressing(Reason.RollingBack, "undid step " + undoing.getName()));
        }
      };
    }
    StepStatus next = p.nextToUndo();
    if (next == null) {
      return p.phase(Phase.RolledBack, null, Health.stalled(Reason.RolledBack, "rolled back because " + why));
    }
    p.status.setCurrentStep(next.getName());
    if (p.observed.irreversible() != null) {
      return p.fail(FailureReason.PointOfNoReturn, next.getName(), "rollback stopped at step "
          + next.getName() + ", which cannot be undone: " + p.observed.irreversible()
          + ". Earlier steps stay applied (rollback started because " + why + ")", "");
    }
    return beginUndo(p, next, "undoing");
  }

  /** An undo that has not ended (or was not looked at): wait for it, within its step's timeout. */
  private static Decision stillUndoing(DecisionDraft p, StepStatus undoing, StepObservation seen, String why) {
    if (seen != null) {
      undoing.setWaitingFor(StepHolds.record(undoing.getWaitingFor(), seen.holds(), p.now));
      undoing.setMessage(seen.message() + StepHolds.waitedSuffix(undoing.getWaitingFor(), p.now));
    }
    Duration timeout = StepTimeouts.of(p.migration.getSpec(), p.spec(undoing.getName()));
    Instant deadline = undoing.getUndoStartedAt() == null ? null
        : Instant.parse(undoing.getUndoStartedAt()).plus(timeout);
    if (seen != null && deadline != null && !p.now.isBefore(deadline)) {
      String late = "did not finish within its timeout of " + Durations.format(timeout)
          + (seen.holds().isEmpty() ? "" : ": " + StepHolds.stillWaitingFor(seen.holds()));
      if (p.observed.activeJobs().isEmpty()) {
        return undoFailed(p, undoing, late, why);
      }
      return p.hold(MigrationDecider.JOB_RECHECK, Health.progressing(Reason.WaitingForJob, "undoing step "
          + undoing.getName() + " " + late + ": waiting for Job " + String.join(", ", p.observed.activeJobs())
          + " to end, as its deadline ends it"));
    }
    Duration recheck = seen == null || seen.recheckAfter() == null ? Duration.ofSeconds(5) : seen.recheckAfter();
    if (deadline != null && Duration.between(p.now, deadline).compareTo(recheck) < 0) {
      recheck = Duration.between(p.now, deadline);
    }
    return p.hold(recheck, Health.progressing(Reason.RollingBack, "undoing step " + undoing.getName()
        + (seen == null ? "" : ": " + seen.message())));
  }

  /**
   * After an undo failed, the retry annotation runs it again as a new attempt with a Job of its own,
   * and the rollback goes on from there. The annotation is removed first (a retry happens once); the
   * next reconcile finds the new attempt's Job missing and starts it.
   */
  static Decision retryUndo(DecisionDraft p, StepStatus failed) {
    p.status.setPhase(Phase.RollingBack);
    p.status.setCurrentStep(failed.getName());
    beginUndo(p, failed, "retrying the undo after: " + failed.getMessage());
    return p.act(new Action.ClearAnnotation(Annotations.RETRY), MigrationDecider.NOW, Health.progressing(
        Reason.RetryingUndo, "retrying the undo of step " + failed.getName() + " (attempt "
            + failed.getUndoAttempts() + ") as asked by " + Annotations.RETRY));
  }

  private static Decision beginUndo(DecisionDraft p, StepStatus step, String message) {
    step.setState(StepState.RollingBack);
    step.setUndoAttempts(step.getUndoAttempts() == null ? 1 : step.getUndoAttempts() + 1);
    step.setUndoStartedAt(p.now.toString());
    step.setFinishedAt(null);
    step.setMessage(message);
    return p.act(new Action.UndoStep(step.getName()), MigrationDecider.NOW,
        Health.progressing(Reason.RollingBack, "undoing step " + step.getName()));
  }

  private static Decision undoFailed(DecisionDraft p, StepStatus undoing, String what, String why) {
    undoing.setFinishedAt(p.now.toString());
    undoing.setState(StepState.UndoFailed);
    undoing.setMessage("undo " + what);
    return p.fail(FailureReason.UndoFailed, undoing.getName(), "rollback stopped: undoing step "
        + undoing.getName() + " " + what + " (rollback started because " + why + ")", "; fix the cause and annotate "
        + Annotations.RETRY + "=" + undoing.getName() + " to run the undo again");
  }
}
