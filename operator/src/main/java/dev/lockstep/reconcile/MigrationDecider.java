package dev.lockstep.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.api.Annotations;
import dev.lockstep.api.Approval;
import dev.lockstep.api.Phase;
import dev.lockstep.api.RollbackPolicy;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.SchemaMigrationStatus;
import dev.lockstep.api.Step;
import dev.lockstep.api.StepKind;
import dev.lockstep.api.StepState;
import dev.lockstep.api.StepStatus;
import dev.lockstep.gates.GuardReading;
import dev.lockstep.queue.QueuePosition;
import dev.lockstep.steps.StepObservation;
import dev.lockstep.steps.StepTimeouts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The engine's brain: given the spec, the status and what was just observed, decides what happens
 * next. No I/O, no clock: the same inputs always give the same decision, which is what makes every
 * reconcile safe to repeat after a crash.
 *
 * <p>One phase transition or one step action per decision; the reconciler comes straight back for
 * the next one. Steps run strictly in order, one at a time.
 */
public final class MigrationDecider {

  /** Come back at once: the next decision depends on what this one recorded. */
  static final Duration NOW = Duration.ZERO;

  /** How often a queued migration looks again at its dependencies and its database. */
  static final Duration QUEUE_RECHECK = Duration.ofSeconds(3);

  /** How often a breached guard is looked at again while the migration waits on it. */
  static final Duration GUARD_RECHECK = Duration.ofSeconds(2);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final boolean rollbackEnabled;

  /** @param rollbackEnabled whether failures roll completed steps back (else they end Failed) */
  public MigrationDecider(boolean rollbackEnabled) {
    this.rollbackEnabled = rollbackEnabled;
  }

  public Decision decide(SchemaMigration migration, Observation observed, Instant now) {
    Progress p = new Progress(migration, copy(migration.getStatus()), observed, now);
    Phase phase = p.status.getPhase();
    if (phase == null) {
      return p.phase(Phase.Pending, NOW, Health.progressing("Accepted", "accepted; validating next"));
    }
    switch (phase) {
      case Pending:
      case Queued:
        return queued(p);
      case Validating:
        return validating(p);
      case Progressing:
      case WaitingForApproval:
      case Paused:
        return progressing(p);
      case RollingBack:
        return rollingBack(p);
      case Succeeded:
        return succeeded(p);
      default:
        return finished(p);
    }
  }

  /**
   * Dependencies first, then the database: a migration leaves the queue when everything it depends
   * on has succeeded, nobody else holds its database, and nobody older is waiting for it.
   */
  private Decision queued(Progress p) {
    QueuePosition queue = p.observed.queue();
    if (queue == null) {
      return p.hold(NOW, Health.progressing("Queued", "looking at the queue"));
    }
    String namespace = p.migration.getMetadata().getNamespace();
    if (!queue.missingDependencies().isEmpty()) {
      p.status.setObservedGeneration(p.generation());
      return p.phase(Phase.Failed, null, Health.stalled("ValidationFailed", "invalid spec: spec.dependsOn names "
          + String.join(", ", queue.missingDependencies()) + ", which is not a SchemaMigration in namespace "
          + namespace + "; create it or remove it from dependsOn"));
    }
    if (!queue.cycle().isEmpty()) {
      p.status.setObservedGeneration(p.generation());
      return p.phase(Phase.Failed, null, Health.stalled("ValidationFailed", "invalid spec: spec.dependsOn forms a"
          + " cycle: " + String.join(" -> ", queue.cycle()) + "; break it"));
    }
    List<String> failed = new ArrayList<>();
    List<String> unfinished = new ArrayList<>();
    queue.dependencies().forEach((name, phase) -> {
      if (phase == Phase.Failed || phase == Phase.RolledBack) {
        failed.add(name + " (" + phase + ")");
      } else if (phase != Phase.Succeeded) {
        unfinished.add(name + " (" + (phase == null ? "not started" : phase.name()) + ")");
      }
    });
    if (!failed.isEmpty()) {
      return p.phase(Phase.Queued, QUEUE_RECHECK, Health.stalled("DependencyFailed", "dependency "
          + String.join(", ", failed) + " did not succeed, so this migration will not run on its own;"
          + " retry the dependency or remove it from spec.dependsOn"));
    }
    if (!unfinished.isEmpty()) {
      return p.phase(Phase.Queued, QUEUE_RECHECK, Health.progressing("WaitingForDependency",
          "waiting for dependency " + String.join(", ", unfinished)));
    }
    String database = p.migration.getSpec().getDatabase() == null ? "?" : p.migration.getSpec().getDatabase().getName();
    if (queue.holder() != null) {
      return p.phase(Phase.Queued, QUEUE_RECHECK, Health.progressing("WaitingForDatabase",
          "waiting for database " + database + ": migration " + queue.holder() + " is changing it"));
    }
    if (queue.aheadInLine() != null) {
      return p.phase(Phase.Queued, QUEUE_RECHECK, Health.progressing("WaitingForDatabase",
          "waiting for database " + database + ": migration " + queue.aheadInLine() + " was queued first"));
    }
    return p.phase(Phase.Validating, NOW, Health.progressing("Validating", "took the lease of database "
        + database + "; validating the spec"));
  }

  private Decision validating(Progress p) {
    List<String> problems = p.observed.validationProblems();
    if (problems == null) {
      return p.hold(NOW, Health.progressing("Validating", "validating the spec"));
    }
    p.status.setObservedGeneration(p.generation());
    if (!problems.isEmpty()) {
      return p.phase(Phase.Failed, null, Health.stalled("ValidationFailed", "invalid spec: " + String.join("; ", problems)));
    }
    return p.phase(Phase.Progressing, NOW, Health.progressing("Validated", "the spec is valid; starting"));
  }

  private Decision progressing(Progress p) {
    p.status.setObservedGeneration(p.generation());
    if (rollbackEnabled && p.annotated(Annotations.ABORT)) {
      return startRollback(p, "aborted by the annotation " + Annotations.ABORT);
    }
    GuardReading guards = p.observed.guards();
    String breach = guards == null ? null : guards.breach();
    if (guards != null) {
      Instant since = guards.prometheusOutOfBoundsSince();
      p.status.setGuardBreachSince(since == null ? null : since.toString());
    }
    StepStatus running = p.firstIn(StepState.Running);
    if (running != null && breach != null && p.spec(running.getName()).kind() == StepKind.WAIT) {
      // A wait changes nothing: stop it now rather than wait out a soak on a broken rollout.
      running.setState(StepState.Failed);
      running.setFinishedAt(p.now.toString());
      running.setMessage("stopped: a guard was breached");
      running = null;
    }
    if (running != null) {
      // A Job is never abandoned half-way: a breach is acted on once the step has finished.
      return observeRunning(p, running);
    }
    if (breach != null) {
      return onGuardBreach(p, breach);
    }
    Health blocked = blockedBySpec(p);
    if (blocked != null) {
      return p.hold(null, blocked);
    }
    StepStatus next = p.firstNotSucceeded();
    if (next == null) {
      StepStatus last = p.status.getSteps().get(p.status.getSteps().size() - 1);
      p.status.setCurrentStep(last.getName());
      return p.phase(Phase.Succeeded, null, Health.progressing("Succeeded", "all "
          + p.status.getSteps().size() + " steps succeeded"));
    }
    p.status.setCurrentStep(next.getName());
    Step step = p.spec(next.getName());
    if (p.annotated(Annotations.PAUSE)) {
      return p.phase(Phase.Paused, null, Health.progressing("Paused",
          "paused by the annotation " + Annotations.PAUSE + " before step " + next.getName()
              + "; remove it to go on"));
    }
    if (step.getApproval() == Approval.REQUIRED && !p.approved(next.getName())) {
      return p.phase(Phase.WaitingForApproval, null, Health.progressing("WaitingForApproval",
          "step " + next.getName() + " needs approval: annotate " + Annotations.APPROVE + "="
              + next.getName()));
    }
    next.setState(StepState.Running);
    next.setAttempts(next.getAttempts() == null ? 1 : next.getAttempts() + 1);
    next.setStartedAt(p.now.toString());
    next.setFinishedAt(null);
    next.setMessage("started");
    next.setProgress(null);
    next.setSpecHash(StepFingerprint.of(step));
    p.status.setPhase(Phase.Progressing);
    return p.act(new Action.StartStep(next.getName()), NOW,
        Health.progressing("StepRunning", "step " + next.getName() + " started"));
  }

  private Decision observeRunning(Progress p, StepStatus running) {
    p.status.setCurrentStep(running.getName());
    p.status.setPhase(Phase.Progressing);
    StepObservation seen = p.observed.step();
    if (seen == null) {
      return p.hold(NOW, Health.progressing("StepRunning", "step " + running.getName() + " is running"));
    }
    switch (seen.outcome()) {
      case SUCCEEDED:
        running.setState(StepState.Succeeded);
        running.setFinishedAt(p.now.toString());
        running.setMessage(seen.message());
        running.setProgress(null);
        p.apply(running, seen);
        return p.hold(NOW, Health.progressing("StepSucceeded", "step " + running.getName() + " succeeded"));
      case FAILED:
        running.setState(StepState.Failed);
        running.setFinishedAt(p.now.toString());
        running.setMessage(seen.message());
        p.apply(running, seen);
        return onStepFailure(p, running, "step " + running.getName() + " failed: " + seen.message());
      case MISSING:
        running.setMessage(seen.message());
        return p.act(new Action.StartStep(running.getName()), Duration.ofSeconds(1),
            Health.progressing("StepRunning", seen.message()));
      default:
        Duration timeout = StepTimeouts.of(p.migration.getSpec(), p.spec(running.getName()));
        Instant deadline = Instant.parse(running.getStartedAt()).plus(timeout);
        if (!p.now.isBefore(deadline)) {
          running.setState(StepState.Failed);
          running.setFinishedAt(p.now.toString());
          running.setMessage("did not finish within its timeout of " + dev.lockstep.api.Durations.format(timeout));
          return onStepFailure(p, running, "step " + running.getName() + " " + running.getMessage());
        }
        running.setMessage(seen.message());
        running.setProgress(seen.progress());
        running.setHoldingSince(seen.holdingSince() == null ? null : seen.holdingSince().toString());
        Duration recheck = seen.recheckAfter() == null ? Duration.ofSeconds(5) : seen.recheckAfter();
        Duration untilDeadline = Duration.between(p.now, deadline);
        return p.hold(recheck.compareTo(untilDeadline) < 0 ? recheck : untilDeadline,
            Health.progressing("StepRunning", "step " + running.getName() + ": " + seen.message()));
    }
  }

  private Decision onStepFailure(Progress p, StepStatus failed, String why) {
    boolean automatic = p.migration.getSpec().getRollback() == null
        || p.migration.getSpec().getRollback().getPolicy() != RollbackPolicy.Manual;
    if (rollbackEnabled && automatic && p.nextToUndo() != null) {
      return startRollback(p, why);
    }
    String next = automatic ? "" : "; annotate " + Annotations.RETRY + "=" + failed.getName() + " to retry it"
        + (rollbackEnabled ? " or " + Annotations.ABORT + "=true to roll back" : "");
    return p.phase(Phase.Failed, null, Health.stalled("StepFailed", why + next));
  }

  private Decision onGuardBreach(Progress p, String breach) {
    String why = "guard breached: " + breach;
    boolean automatic = p.migration.getSpec().getRollback() == null
        || p.migration.getSpec().getRollback().getPolicy() != RollbackPolicy.Manual;
    if (p.nextToUndo() == null) {
      return p.hold(GUARD_RECHECK, Health.stalled("GuardBreached", why + "; no step has changed anything yet, so"
          + " the migration waits for the guard to hold again"));
    }
    if (rollbackEnabled && automatic) {
      return startRollback(p, why);
    }
    return p.phase(Phase.Paused, GUARD_RECHECK, Health.stalled("GuardBreached", why + "; the migration waits"
        + " (rollback policy Manual) and goes on once the guard holds again, or annotate " + Annotations.ABORT
        + "=true to roll back"));
  }

  private Decision startRollback(Progress p, String why) {
    p.status.setRollbackReason(why);
    return p.phase(Phase.RollingBack, NOW, Health.progressing("RollingBack", "rolling back: " + why));
  }

  private Decision rollingBack(Progress p) {
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
      return p.hold(NOW, Health.progressing("RollingBack", "undid step " + undoing.getName()));
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
    return p.act(new Action.UndoStep(next.getName()), NOW,
        Health.progressing("RollingBack", "undoing step " + next.getName()));
  }

  private Decision succeeded(Progress p) {
    if (p.generation() == p.observedGeneration()) {
      return p.hold(null, Health.progressing("Succeeded", p.status.getMessage()));
    }
    // The spec changed after success: new steps at the end run; anything else is reported.
    if (p.observed.validationProblems() == null) {
      return p.hold(NOW, Health.progressing("Succeeded", p.status.getMessage()));
    }
    Health blocked = blockedBySpec(p);
    p.status.setObservedGeneration(p.generation());
    if (blocked != null) {
      return p.hold(null, blocked);
    }
    if (p.firstNotSucceeded() == null) {
      return p.hold(null, Health.progressing("Succeeded", p.status.getMessage()));
    }
    return p.phase(Phase.Progressing, NOW, Health.progressing("SpecExtended", "new steps were added; running them"));
  }

  private Decision finished(Progress p) {
    boolean nothingRan = p.status.getSteps().stream().allMatch(s -> s.getState() == StepState.Pending);
    if (nothingRan && p.generation() != p.observedGeneration()) {
      // A spec that failed validation was edited: queue it again.
      return p.phase(Phase.Pending, NOW, Health.progressing("SpecChanged", "the spec changed; trying again"));
    }
    if (p.status.getPhase() == Phase.Failed && "StepFailed".equals(p.recordedReason())) {
      StepStatus failed = p.firstIn(StepState.Failed);
      String retry = p.annotation(Annotations.RETRY);
      if (failed != null && failed.getName().equals(retry)) {
        failed.setState(StepState.Pending);
        failed.setMessage("retrying after: " + failed.getMessage());
        p.status.setPhase(Phase.Progressing);
        return p.act(new Action.ClearAnnotation(Annotations.RETRY), NOW, Health.progressing("Retrying",
            "retrying step " + failed.getName() + " as asked by " + Annotations.RETRY));
      }
      if (rollbackEnabled && p.annotated(Annotations.ABORT) && p.nextToUndo() != null) {
        return startRollback(p, p.status.getMessage().replaceFirst(";.*", "") + ", then aborted by "
            + Annotations.ABORT);
      }
    }
    return p.hold(null, new Health(p.recordedReason(), p.status.getMessage(), true));
  }

  /** Why no new step may start under the current spec, or {@code null}. */
  private static Health blockedBySpec(Progress p) {
    List<String> problems = p.observed.validationProblems();
    if (problems != null && !problems.isEmpty()) {
      return Health.stalled("InvalidSpec", "no new step starts until the spec is fixed: " + String.join("; ", problems));
    }
    List<String> changed = p.status.getSteps().stream()
        .filter(s -> s.getSpecHash() != null && s.getState() != StepState.Pending)
        .filter(s -> p.spec(s.getName()) == null || !s.getSpecHash().equals(StepFingerprint.of(p.spec(s.getName()))))
        .map(StepStatus::getName)
        .toList();
    if (!changed.isEmpty()) {
      return Health.stalled("CompletedStepChanged", "step" + (changed.size() == 1 ? " " : "s ")
          + String.join(", ", changed) + " already ran and cannot change; revert the edit, or create a new"
          + " SchemaMigration for the new change");
    }
    return null;
  }

  private static SchemaMigrationStatus copy(SchemaMigrationStatus status) {
    return status == null ? new SchemaMigrationStatus() : JSON.convertValue(status, SchemaMigrationStatus.class);
  }

  /** The decision being built: the new status and the inputs it is built from. */
  private static final class Progress {
    final SchemaMigration migration;
    final SchemaMigrationStatus status;
    final Observation observed;
    final Instant now;

    Progress(SchemaMigration migration, SchemaMigrationStatus status, Observation observed, Instant now) {
      this.migration = migration;
      this.status = status;
      this.observed = observed;
      this.now = now;
      status.setSteps(StepStatuses.align(status.getSteps(), migration.getSpec().getSteps()));
      if (observed.risk() != null) {
        status.setRisk(observed.risk());
      }
    }

    long generation() {
      Long generation = migration.getMetadata().getGeneration();
      return generation == null ? 0 : generation;
    }

    long observedGeneration() {
      return status.getObservedGeneration() == null ? -1 : status.getObservedGeneration();
    }

    Step spec(String name) {
      return migration.getSpec().getSteps().stream().filter(s -> name.equals(s.getName())).findFirst().orElse(null);
    }

    StepStatus firstIn(StepState state) {
      return status.getSteps().stream().filter(s -> s.getState() == state).findFirst().orElse(null);
    }

    StepStatus firstNotSucceeded() {
      return status.getSteps().stream()
          .filter(s -> spec(s.getName()) != null && s.getState() != StepState.Succeeded)
          .findFirst()
          .orElse(null);
    }

    StepStatus nextToUndo() {
      return RollbackOrder.nextToUndo(status.getSteps());
    }

    /** The reason conditions gave when this terminal phase was reached, kept as long as it lasts. */
    String recordedReason() {
      if (status.getConditions() != null) {
        for (var condition : status.getConditions()) {
          if (Conditions.READY.equals(condition.getType()) && condition.getReason() != null) {
            return condition.getReason();
          }
        }
      }
      return status.getPhase().name();
    }

    boolean annotated(String key) {
      Map<String, String> annotations = migration.getMetadata().getAnnotations();
      return annotations != null && "true".equalsIgnoreCase(String.valueOf(annotations.get(key)).trim());
    }

    String annotation(String key) {
      Map<String, String> annotations = migration.getMetadata().getAnnotations();
      return annotations == null || annotations.get(key) == null ? null : annotations.get(key).trim();
    }

    boolean approved(String step) {
      Map<String, String> annotations = migration.getMetadata().getAnnotations();
      String value = annotations == null ? null : annotations.get(Annotations.APPROVE);
      return value != null && Arrays.stream(value.split(",")).map(String::trim).anyMatch(step::equals);
    }

    void apply(StepStatus step, StepObservation seen) {
      if (seen.report() == null) {
        return;
      }
      if (seen.report().versionBefore() != null && step.getVersionBefore() == null) {
        step.setVersionBefore(seen.report().versionBefore());
      }
      if (seen.report().versionAfter() != null) {
        step.setVersionAfter(seen.report().versionAfter());
        status.setSchemaVersion(seen.report().versionAfter());
      }
      if (seen.report().lockRetries() != null) {
        step.setLockRetries(seen.report().lockRetries());
      }
      if (seen.report().lockWaitMillis() != null) {
        step.setLockWaitMillis(seen.report().lockWaitMillis());
      }
    }

    Decision phase(Phase phase, Duration requeue, Health health) {
      status.setPhase(phase);
      return hold(requeue, health);
    }

    Decision hold(Duration requeue, Health health) {
      status.setMessage(health.message());
      return new Decision(status, Action.NONE, requeue, health);
    }

    Decision act(Action action, Duration requeue, Health health) {
      status.setMessage(health.message());
      return new Decision(status, action, requeue, health);
    }
  }
}
