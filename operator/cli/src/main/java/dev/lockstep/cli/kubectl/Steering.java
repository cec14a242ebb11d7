package dev.lockstep.cli.kubectl;

import dev.lockstep.api.Annotations;
import dev.lockstep.api.Approval;
import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.RepairStatus;
import dev.lockstep.api.SchemaMigrationStatus;
import dev.lockstep.api.Step;
import dev.lockstep.api.StepState;
import dev.lockstep.api.StepStatus;
import dev.lockstep.reconcile.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What each steering verb does to a migration as it stands: the annotations to set (the operator
 * reads them; see README "Steering a migration by hand"), nothing when it is already done, or a
 * refusal that says why. Pure, so every rule is tested without a cluster.
 */
final class Steering {

  /** The outcome of a verb. */
  sealed interface Outcome permits Change, AlreadyDone, Refused {}

  /**
   * Set these annotations ({@code null} removes one).
   *
   * @param conditional the change depends on the value read (a list is extended), so it is sent with
   *     the resourceVersion it was read at and fails rather than overwrite a concurrent change
   * @param done what happened, for the user
   */
  record Change(Map<String, String> annotations, boolean conditional, String done) implements Outcome {}

  /** Nothing to change: the migration already is as asked. */
  record AlreadyDone(String why) implements Outcome {}

  /** The verb makes no sense now; {@code why} says what the migration is doing instead. */
  record Refused(String why) implements Outcome {}

  private Steering() {}

  static Outcome approve(SchemaMigration m, String stepOrNull) {
    SchemaMigrationStatus status = status(m);
    Phase phase = status.getPhase();
    String step = stepOrNull;
    if (step == null) {
      if (phase != Phase.WaitingForApproval) {
        String upcoming = nextNeedingApproval(m);
        return new Refused(name(m) + " is " + phaseText(phase) + ": no step waits for approval"
            + (upcoming == null ? "" : "; to approve step " + upcoming + " before it is reached, run kubectl"
                + " lockstep approve " + m.getMetadata().getName() + " " + upcoming));
      }
      step = status.getCurrentStep();
    }
    Step spec = Hold.spec(m, step);
    if (spec == null) {
      return new Refused(name(m) + " has no step " + step + "; its steps are " + stepNames(m));
    }
    if (spec.getApproval() != Approval.REQUIRED) {
      return new Refused("step " + step + " of " + name(m) + " does not need approval (it has no approval: required)");
    }
    StepStatus state = stepStatus(status, step);
    if (state != null && state.getState() != null && state.getState() != StepState.Pending) {
      return new Refused("step " + step + " of " + name(m) + " has already run: it is " + state.getState());
    }
    if (phase != null && (phase.isTerminal() || phase == Phase.RollingBack)) {
      return new Refused(name(m) + " is " + phase + ": approving step " + step + " would change nothing");
    }
    List<String> approved = approvedSteps(m);
    if (approved.contains(step)) {
      return new AlreadyDone("step " + step + " of " + name(m) + " is already approved");
    }
    approved.add(step);
    boolean waiting = phase == Phase.WaitingForApproval && step.equals(status.getCurrentStep());
    return new Change(Map.of(Annotations.APPROVE, String.join(",", approved)), true,
        "approved step " + step + " of " + name(m) + (waiting ? "; it starts now"
            : "; it starts without waiting once it is reached"));
  }

  static Outcome pause(SchemaMigration m) {
    Phase phase = status(m).getPhase();
    if (phase != null && phase.isTerminal()) {
      return new Refused(name(m) + " is " + phase + ": there is nothing left to pause");
    }
    if (phase == Phase.RollingBack) {
      return new Refused(name(m) + " is rolling back; a rollback is not paused half-way");
    }
    if (Hold.annotated(m, Annotations.PAUSE)) {
      return new AlreadyDone(name(m) + " is already paused (" + Annotations.PAUSE + " is set)");
    }
    String running = runningStep(m);
    return new Change(Map.of(Annotations.PAUSE, "true"), false, "paused " + name(m) + ": it holds before its next step"
        + (running == null ? "" : " (step " + running + " runs to its end first)")
        + "; kubectl lockstep resume " + m.getMetadata().getName() + " goes on");
  }

  static Outcome resume(SchemaMigration m) {
    SchemaMigrationStatus status = status(m);
    if (!Hold.annotated(m, Annotations.PAUSE)) {
      if (status.getPhase() == Phase.Paused) {
        return new Refused(name(m) + " is Paused by a breached guard, not by " + Annotations.PAUSE
            + ": it goes on once the guard holds again (" + status.getMessage() + ")");
      }
      return new Refused(name(m) + " is not paused (it is " + phaseText(status.getPhase()) + ")");
    }
    Map<String, String> remove = new LinkedHashMap<>();
    remove.put(Annotations.PAUSE, null);
    return new Change(remove, false, "resumed " + name(m));
  }

  static Outcome abort(SchemaMigration m) {
    SchemaMigrationStatus status = status(m);
    Phase phase = status.getPhase();
    if (phase == Phase.Succeeded || phase == Phase.RolledBack) {
      return new Refused(name(m) + " is " + phase + ": abort rolls back only a migration that is running or"
          + " stopped Failed at a step");
    }
    if (phase == Phase.RollingBack) {
      return new AlreadyDone(name(m) + " is already rolling back");
    }
    if (phase == Phase.Failed) {
      if (!"StepFailed".equals(readyReason(status))) {
        return new Refused(name(m) + " is Failed (" + readyReason(status) + "): abort rolls back only after a"
            + " failed step under the Manual rollback policy");
      }
      boolean somethingToUndo = status.getSteps() != null
          && status.getSteps().stream().anyMatch(s -> s.getState() == StepState.Succeeded);
      if (!somethingToUndo) {
        return new Refused(name(m) + " is Failed and no step completed: there is nothing to roll back");
      }
    }
    if (Hold.annotated(m, Annotations.ABORT)) {
      return new AlreadyDone("abort of " + name(m) + " was already asked for (" + Annotations.ABORT + " is set)");
    }
    return new Change(Map.of(Annotations.ABORT, "true"), false, "aborting " + name(m)
        + ": the operator rolls completed steps back, newest first");
  }

  static Outcome retry(SchemaMigration m, String step) {
    SchemaMigrationStatus status = status(m);
    if (Hold.spec(m, step) == null) {
      return new Refused(name(m) + " has no step " + step + "; its steps are " + stepNames(m));
    }
    StepStatus state = stepStatus(status, step);
    StepState stepState = state == null || state.getState() == null ? StepState.Pending : state.getState();
    if (stepState != StepState.Failed) {
      return new Refused("step " + step + " of " + name(m) + " did not fail: it is " + stepState);
    }
    if (status.getRepair() != null && step.equals(status.getRepair().getStep())) {
      return new Refused("step " + step + " of " + name(m) + " needs repair first (" + status.getRepair().getReason()
          + "): kubectl lockstep repair " + m.getMetadata().getName() + " --retry repairs it, then retries it");
    }
    if (status.getPhase() != Phase.Failed || !"StepFailed".equals(readyReason(status))) {
      return new Refused("step " + step + " failed, but " + name(m) + " is " + phaseText(status.getPhase())
          + ": a retry runs a failed step again only when the migration stopped Failed at it"
          + " (rollback policy Manual)");
    }
    int next = state.getAttempts() == null ? 1 : state.getAttempts() + 1;
    return new Change(Map.of(Annotations.RETRY, step), false, "retrying step " + step + " of " + name(m)
        + ": the operator runs it again as attempt " + next + " and then removes " + Annotations.RETRY);
  }

  /**
   * {@code repair NAME [--retry]}: asks for the repair Job of a step that failed half-way (condition
   * NeedsRepair); with {@code retry}, the step is retried once the repair succeeded.
   */
  static Outcome repair(SchemaMigration m, boolean retry) {
    SchemaMigrationStatus status = status(m);
    RepairStatus repair = status.getRepair();
    if (repair == null) {
      return new Refused(name(m) + " needs no repair: it has no NeedsRepair condition (it is "
          + phaseText(status.getPhase()) + ")");
    }
    if (repair.getStartedAt() != null) {
      return new AlreadyDone("the repair of step " + repair.getStep() + " of " + name(m) + " runs already (Job "
          + repair.getJob() + ")");
    }
    Map<String, String> annotations = new java.util.TreeMap<>();
    annotations.put(Annotations.REPAIR, "true");
    if (retry) {
      annotations.put(Annotations.RETRY, repair.getStep());
    }
    return new Change(annotations, false, "repairing step " + repair.getStep() + " of " + name(m)
        + ": the operator runs a repair Job, then removes " + Annotations.REPAIR
        + (retry ? "; once it succeeded, step " + repair.getStep() + " is retried"
            : "; then retry the step with kubectl lockstep retry " + m.getMetadata().getName() + " " + repair.getStep()));
  }

  private static String nextNeedingApproval(SchemaMigration m) {
    if (m.getSpec() == null || m.getSpec().getSteps() == null) {
      return null;
    }
    List<String> approved = approvedSteps(m);
    for (Step step : m.getSpec().getSteps()) {
      StepStatus state = stepStatus(status(m), step.getName());
      boolean notStarted = state == null || state.getState() == null || state.getState() == StepState.Pending;
      if (step.getApproval() == Approval.REQUIRED && notStarted && !approved.contains(step.getName())) {
        return step.getName();
      }
    }
    return null;
  }

  private static String runningStep(SchemaMigration m) {
    StepStatus running = Hold.inState(m.getStatus(), StepState.Running);
    return running == null ? null : running.getName();
  }

  private static List<String> approvedSteps(SchemaMigration m) {
    Map<String, String> annotations = m.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(Annotations.APPROVE);
    List<String> steps = new ArrayList<>();
    if (value != null) {
      Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(steps::add);
    }
    return steps;
  }

  /** The reason of the Ready condition: the operator's typed reason for the phase (StepFailed, ...). */
  private static String readyReason(SchemaMigrationStatus status) {
    if (status.getConditions() == null) {
      return null;
    }
    return status.getConditions().stream().filter(c -> Conditions.READY.equals(c.getType())).map(Condition::getReason)
        .findFirst().orElse(null);
  }

  private static StepStatus stepStatus(SchemaMigrationStatus status, String step) {
    if (status.getSteps() == null) {
      return null;
    }
    return status.getSteps().stream().filter(s -> step.equals(s.getName())).findFirst().orElse(null);
  }

  private static SchemaMigrationStatus status(SchemaMigration m) {
    return m.getStatus() == null ? new SchemaMigrationStatus() : m.getStatus();
  }

  private static String stepNames(SchemaMigration m) {
    if (m.getSpec() == null || m.getSpec().getSteps() == null || m.getSpec().getSteps().isEmpty()) {
      return "(none)";
    }
    return m.getSpec().getSteps().stream().map(Step::getName).collect(Collectors.joining(", "));
  }

  private static String phaseText(Phase phase) {
    return phase == null ? "not started yet (no status)" : phase.name();
  }

  private static String name(SchemaMigration m) {
    return "SchemaMigration " + m.getMetadata().getNamespace() + "/" + m.getMetadata().getName();
  }
}
