package dev.lockstep.reconcile;

import dev.lockstep.api.Annotations;
import dev.lockstep.api.Failure;
import dev.lockstep.api.FailureReason;
import dev.lockstep.api.Phase;
import dev.lockstep.api.RepairStatus;
import dev.lockstep.api.StepState;
import dev.lockstep.api.StepStatus;
import dev.lockstep.steps.StepObservation;
import java.time.Duration;

/**
 * The decisions about a step that failed half-way and left the database stuck (a failed history
 * row, a held Flyway lock, an invalid index): it fails with that cause — no rollback, no retry, as
 * both would run into it — until a person asks for a repair with {@link Annotations#REPAIR}. The
 * repair runs in a Job; when it succeeds, the cause is cleared and the step is an ordinary failed
 * step again, which {@link Annotations#RETRY} retries (set with the repair, the retry follows it).
 * An undo that finds the database stuck takes the same path: the repair, then the retry annotation
 * runs the undo again. Pure, like {@link MigrationDecider}.
 */
final class RepairDecisions {

  private RepairDecisions() {}

  /** The running step failed, and what it left needs a repair first. */
  static Decision needsRepair(DecisionDraft p, StepStatus failed, RepairStatus found) {
    // The step failed (what a retry after the repair looks at); status.repair says what must come first.
    p.status.setFailure(new Failure(FailureReason.StepFailed, failed.getName(), "step " + failed.getName()
        + " failed and needs repair"));
    return stuck(p, failed, found, "step " + failed.getName() + " needs repair", "to retry it");
  }

  /**
   * The undo of a step found the database stuck (the runner refuses to undo over a failed history
   * row): the same repair, then the retry annotation runs the undo again and the rollback goes on.
   */
  static Decision undoNeedsRepair(DecisionDraft p, StepStatus undoing, RepairStatus found, String message, String why) {
    undoing.setFinishedAt(p.now.toString());
    undoing.setState(StepState.UndoFailed);
    undoing.setMessage("undo failed: " + message);
    p.status.setFailure(new Failure(FailureReason.UndoFailed, undoing.getName(), "rollback stopped: undoing step "
        + undoing.getName() + " needs repair (rollback started because " + why + ")"));
    return stuck(p, undoing, found, "rollback stopped: undoing step " + undoing.getName() + " needs repair",
        "to run the undo again");
  }

  private static Decision stuck(DecisionDraft p, StepStatus step, RepairStatus found, String what, String retryDoes) {
    RepairStatus repair = new RepairStatus();
    repair.setStep(step.getName());
    repair.setReason(found.getReason());
    repair.setVersion(found.getVersion());
    repair.setScript(found.getScript());
    repair.setProblems(found.getProblems());
    p.status.setRepair(repair);
    return p.phase(Phase.Failed, null, Health.stalled(Reason.of(repair.getReason()), what + ": "
        + String.join("; ", repair.getProblems()) + "; annotate " + Annotations.REPAIR + "=true to repair it, then "
        + Annotations.RETRY + "=" + step.getName() + " " + retryDoes));
  }

  /** A migration that failed and needs a repair: waits for the annotation, runs the Job, reads its end. */
  static Decision failedAndStuck(DecisionDraft p) {
    RepairStatus repair = p.status.getRepair();
    String step = repair.getStep();
    if (repair.getStartedAt() != null) {
      return repairRunning(p, repair);
    }
    if (p.annotated(Annotations.REPAIR)) {
      repair.setAttempts(repair.getAttempts() == null ? 1 : repair.getAttempts() + 1);
      repair.setStartedAt(p.now.toString());
      repair.setMessage(null);
      return p.act(new Action.RepairStep(step), MigrationDecider.NOW, Health.progressing(Reason.Repairing,
          "repairing step " + step + " as asked by " + Annotations.REPAIR + " (attempt " + repair.getAttempts() + ")"));
    }
    return p.hold(null, Health.stalled(Reason.of(repair.getReason()), p.status.getMessage()));
  }

  private static Decision repairRunning(DecisionDraft p, RepairStatus repair) {
    String step = repair.getStep();
    StepObservation seen = p.observed.repair();
    if (seen == null) {
      return p.hold(MigrationDecider.JOB_RECHECK, Health.progressing(Reason.Repairing, "repairing step " + step));
    }
    switch (seen.outcome()) {
      case SUCCEEDED:
        p.status.setRepair(null);
        StepStatus failed = p.status.getSteps().stream().filter(s -> s.getName().equals(step)).findFirst()
            .orElseThrow();
        failed.setMessage("repaired (" + seen.message() + ") after: " + failed.getMessage());
        // An ordinary failed step or undo again: the retry annotation runs it again from here.
        boolean undo = failed.getState() == StepState.UndoFailed;
        return p.act(new Action.ClearAnnotation(Annotations.REPAIR), MigrationDecider.NOW, Health.stalled(
            undo ? Reason.UndoFailed : Reason.StepFailed, "step " + step + " was repaired by Job " + repair.getJob()
                + "; annotate " + Annotations.RETRY + "=" + step + (undo ? " to run its undo again" : " to retry it")));
      case FAILED:
        repair.setStartedAt(null);
        repair.setMessage(seen.message());
        // Cleared so that setting it again, after fixing what the repair refused, starts a new attempt.
        return p.act(new Action.ClearAnnotation(Annotations.REPAIR), null, Health.stalled(Reason.of(repair.getReason()),
            "the repair of step " + step + " failed: " + seen.message() + "; fix what it names, then annotate "
                + Annotations.REPAIR + "=true again"));
      case MISSING:
        return p.act(new Action.RepairStep(step), Duration.ofSeconds(1),
            Health.progressing(Reason.Repairing, seen.message()));
      default:
        return p.hold(seen.recheckAfter() == null ? MigrationDecider.JOB_RECHECK : seen.recheckAfter(),
            Health.progressing(Reason.Repairing, "repairing step " + step + ": " + seen.message()));
    }
  }
}
