package dev.lockstep.reconcile;

import dev.lockstep.api.Annotations;
import dev.lockstep.api.Approval;
import dev.lockstep.api.Phase;
import dev.lockstep.api.RollbackPolicy;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.Step;
import dev.lockstep.steps.StepKinds;
import dev.lockstep.api.StepState;
import dev.lockstep.api.StepStatus;
import dev.lockstep.gates.GuardReading;
import dev.lockstep.jobs.JobNames;
import dev.lockstep.steps.BackfillStepHandler;
import dev.lockstep.steps.StepObservation;
import dev.lockstep.steps.StepTimeouts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The engine's brain: given the spec, the status and what was just observed, decides what happens
 * next. No I/O, no clock: the same inputs always give the same decision, which is what makes every
 * reconcile safe to repeat after a crash.
 *
 * <p>One phase transition or one step action per decision; the reconciler comes straight back for
 * the next one. Steps run strictly in order, one at a time. The line for the database is decided in
 * {@link QueueDecisions}, the way back in {@link RollbackDecisions}; the decision being built, with
 * its inputs, is a {@link DecisionDraft}.
 */
public final class MigrationDecider {

  /** Come back at once: the next decision depends on what this one recorded. */
  static final Duration NOW = Duration.ZERO;

  /** How often a Job that everything waits for is looked at again; its watch events come sooner. */
  static final Duration JOB_RECHECK = Duration.ofSeconds(2);

  /** How often a breached guard is looked at again while the migration waits on it. */
  static final Duration GUARD_RECHECK = Duration.ofSeconds(2);

  private final boolean rollbackEnabled;
  private final StepKinds kinds;

  /**
   * @param rollbackEnabled whether failures roll completed steps back (else they end Failed)
   * @param kinds what the engine must know of each step's kind, answered by the step handlers
   */
  public MigrationDecider(boolean rollbackEnabled, StepKinds kinds) {
    this.rollbackEnabled = rollbackEnabled;
    this.kinds = kinds;
  }

  public Decision decide(SchemaMigration migration, Observation observed, Instant now) {
    return nothingBesideAJob(migration, observed, now, decideFreely(migration, observed, now));
  }

  /**
   * The rule above all others: while a Job of this migration has not ended, no other Job starts and
   * the migration does not end (which would give its database's lease away). A decision that would
   * do either is replaced by waiting, with the status as it was, so it is made again afterwards.
   */
  private Decision nothingBesideAJob(SchemaMigration migration, Observation observed, Instant now,
      Decision decision) {
    List<String> active = observed.activeJobs();
    if (active.isEmpty()) {
      return decision;
    }
    Phase before = migration.getStatus() == null ? null : migration.getStatus().getPhase();
    Phase after = decision.status().getPhase();
    String name = migration.getMetadata().getName();
    String blocked = null;
    if (after != null && after.isTerminal() && (before == null || !before.isTerminal())) {
      blocked = "ending " + after;
    } else if (decision.action() instanceof Action.StartStep start) {
      String adopted = JobNames.forStep(name, start.step(), attempts(decision, start.step(), false));
      blocked = active.stream().allMatch(adopted::equals) ? null : "starting step " + start.step();
    } else if (decision.action() instanceof Action.UndoStep undo) {
      String adopted = JobNames.forUndo(name, undo.step(), attempts(decision, undo.step(), true));
      blocked = active.stream().allMatch(adopted::equals) ? null : "undoing step " + undo.step();
    }
    if (blocked == null) {
      return decision;
    }
    return new DecisionDraft(migration, observed, now, kinds).hold(JOB_RECHECK, Health.progressing(
        NewReasons.WAITING_FOR_JOB, "waiting for Job " + String.join(", ", active) + " to end before " + blocked));
  }

  /**
   * What deleting a migration waits for. Deleting does not roll anything back; but a runner killed
   * half-way (garbage collection would delete its Job and pod) may leave its PostgreSQL session
   * holding locks, so the deletion is held until every Job of the migration has ended, and only then
   * is the database's lease given back.
   *
   * @param letGo whether the migration may go now (its lease released first)
   * @param recheck when to look again while it may not
   * @param message what the deletion waits for, for the log
   */
  public record Deletion(boolean letGo, Duration recheck, String message) {}

  public Deletion onDeletion(Observation observed) {
    if (observed.activeJobs().isEmpty()) {
      return new Deletion(true, null, "no Job of the migration is running; releasing its database");
    }
    return new Deletion(false, JOB_RECHECK, "deleted while Job " + String.join(", ", observed.activeJobs())
        + " runs; the deletion waits until it has ended, then releases the database");
  }

  private static int attempts(Decision decision, String step, boolean undo) {
    return decision.status().getSteps().stream().filter(s -> s.getName().equals(step)).findFirst()
        .map(s -> undo ? s.getUndoAttempts() : s.getAttempts()).orElse(1);
  }

  private Decision decideFreely(SchemaMigration migration, Observation observed, Instant now) {
    DecisionDraft p = new DecisionDraft(migration, observed, now, kinds);
    Phase phase = p.status.getPhase();
    if (phase == null) {
      return p.phase(Phase.Pending, NOW, Health.progressing("Accepted", "accepted; validating next"));
    }
    switch (phase) {
      case Pending:
      case Queued:
        return QueueDecisions.queued(p);
      case Validating:
        return validating(p);
      case Progressing:
      case WaitingForApproval:
      case Paused:
        return progressing(p);
      case RollingBack:
        return RollbackDecisions.rollingBack(p);
      case Succeeded:
        return succeeded(p);
      default:
        return finished(p);
    }
  }

  private Decision validating(DecisionDraft p) {
    List<String> problems = p.observed.validationProblems();
    if (problems == null) {
      return p.hold(NOW, Health.progressing("Validating", "validating the spec"));
    }
    p.status.setObservedGeneration(p.generation());
    if (!problems.isEmpty()) {
      return p.phase(Phase.Failed, null, Health.stalled("ValidationFailed", "invalid spec: " + String.join("; ", problems)));
    }
    List<String> noReturn = p.migration.getSpec().getSteps().stream()
        .filter(s -> s.getBackfill() != null && s.getBackfill().getUndo() == null)
        .map(s -> "step " + s.getName() + " is a point of no return: " + BackfillStepHandler.irreversible(s.getName()))
        .toList();
    return p.phase(Phase.Progressing, NOW, Health.progressing("Validated", "the spec is valid; starting"
        + (noReturn.isEmpty() ? "" : ". " + String.join("; ", noReturn))));
  }

  private Decision progressing(DecisionDraft p) {
    p.status.setObservedGeneration(p.generation());
    String abort = rollbackEnabled && p.annotated(Annotations.ABORT)
        ? "aborted by the annotation " + Annotations.ABORT : null;
    GuardReading guards = p.observed.guards();
    String breach = guards == null ? null : guards.breach();
    if (guards != null) {
      Instant since = guards.prometheusOutOfBoundsSince();
      p.status.setGuardBreachSince(since == null ? null : since.toString());
    }
    StepStatus running = p.firstIn(StepState.Running);
    if (running != null) {
      Decision watched = watchRunning(p, running, abort, breach);
      if (watched != null) {
        return watched;
      }
      // The running step was stopped, having changed nothing yet or ended: act on why.
    }
    if (abort != null) {
      return RollbackDecisions.startRollback(p, abort);
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
    // What the last attempt's Job reported no longer holds; versionBefore (where the step first
    // started) does, for the undo.
    next.setVersionAfter(null);
    next.setLockRetries(null);
    next.setLockWaitMillis(null);
    next.setSpecHash(StepFingerprint.of(step));
    p.status.setPhase(Phase.Progressing);
    return p.act(new Action.StartStep(next.getName()), NOW,
        Health.progressing("StepRunning", "step " + next.getName() + " started"));
  }

  /**
   * The step that runs, when an abort, a breached guard or its timeout says it must stop. A running
   * Job is never stopped half-way: it is let finish (it has the step's time left as its deadline),
   * its outcome is recorded, and the rollback that follows undoes the step too. A step with no Job
   * going (a wait, a flag flip, a migrate still waiting at its gate) is stopped at once.
   *
   * @return the decision, or {@code null} when the step was stopped because of {@code abort} or
   *     {@code breach}, for the caller to act on
   */
  private Decision watchRunning(DecisionDraft p, StepStatus running, String abort, String breach) {
    StepObservation seen = p.observed.step();
    if (seen == null) {
      return observeRunning(p, running);
    }
    Duration timeout = StepTimeouts.of(p.migration.getSpec(), p.spec(running.getName()));
    boolean late = !p.now.isBefore(Instant.parse(running.getStartedAt()).plus(timeout));
    String stop = abort != null ? abort : breach != null ? "guard breached: " + breach : null;
    boolean ended = seen.outcome() == StepObservation.Outcome.SUCCEEDED
        || seen.outcome() == StepObservation.Outcome.FAILED;
    if (ended || (stop == null && !late)) {
      return observeRunning(p, running);
    }
    String lateness = "did not finish within its timeout of " + dev.lockstep.api.Durations.format(timeout);
    if (!p.observed.activeJobs().isEmpty()) {
      p.status.setCurrentStep(running.getName());
      p.status.setPhase(Phase.Progressing);
      running.setMessage(seen.message());
      String then = stop != null ? "; then the rollback undoes it too" : ", as its deadline ends it";
      return p.hold(JOB_RECHECK, Health.progressing(NewReasons.WAITING_FOR_JOB, "step " + running.getName()
          + (stop != null ? " is to stop (" + stop + ")" : " " + lateness) + ": waiting for Job "
          + String.join(", ", p.observed.activeJobs()) + " to end, as a running Job is never stopped half-way"
          + then));
    }
    running.setState(StepState.Failed);
    running.setFinishedAt(p.now.toString());
    running.setMessage(stop != null ? "stopped: " + stop : lateness);
    if (stop == null) {
      return onStepFailure(p, running, "step " + running.getName() + " " + lateness);
    }
    return null;
  }

  private Decision observeRunning(DecisionDraft p, StepStatus running) {
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
        running.setMessage(seen.message());
        running.setProgress(seen.progress());
        running.setHoldingSince(seen.holdingSince() == null ? null : seen.holdingSince().toString());
        Duration recheck = seen.recheckAfter() == null ? Duration.ofSeconds(5) : seen.recheckAfter();
        Duration untilDeadline = Duration.between(p.now, deadline);
        return p.hold(recheck.compareTo(untilDeadline) < 0 ? recheck : untilDeadline,
            Health.progressing("StepRunning", "step " + running.getName() + ": " + seen.message()));
    }
  }

  private Decision onStepFailure(DecisionDraft p, StepStatus failed, String why) {
    boolean automatic = p.migration.getSpec().getRollback() == null
        || p.migration.getSpec().getRollback().getPolicy() != RollbackPolicy.Manual;
    if (rollbackEnabled && automatic && p.nextToUndo() != null) {
      return RollbackDecisions.startRollback(p, why);
    }
    String next = automatic ? "" : "; annotate " + Annotations.RETRY + "=" + failed.getName() + " to retry it"
        + (rollbackEnabled ? " or " + Annotations.ABORT + "=true to roll back" : "");
    return p.phase(Phase.Failed, null, Health.stalled("StepFailed", why + next));
  }

  private Decision onGuardBreach(DecisionDraft p, String breach) {
    String why = "guard breached: " + breach;
    boolean automatic = p.migration.getSpec().getRollback() == null
        || p.migration.getSpec().getRollback().getPolicy() != RollbackPolicy.Manual;
    if (p.nextToUndo() == null) {
      return p.hold(GUARD_RECHECK, Health.stalled("GuardBreached", why + "; no step has changed anything yet, so"
          + " the migration waits for the guard to hold again"));
    }
    if (rollbackEnabled && automatic) {
      return RollbackDecisions.startRollback(p, why);
    }
    return p.phase(Phase.Paused, GUARD_RECHECK, Health.stalled("GuardBreached", why + "; the migration waits"
        + " (rollback policy Manual) and goes on once the guard holds again, or annotate " + Annotations.ABORT
        + "=true to roll back"));
  }

  private Decision succeeded(DecisionDraft p) {
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

  private Decision finished(DecisionDraft p) {
    boolean nothingRan = p.status.getSteps().stream().allMatch(s -> s.getState() == StepState.Pending);
    if (nothingRan && p.generation() != p.observedGeneration()) {
      // A spec that failed validation was edited: queue it again.
      return p.phase(Phase.Pending, NOW, Health.progressing("SpecChanged", "the spec changed; trying again"));
    }
    if (p.status.getPhase() == Phase.Failed && "UndoFailed".equals(p.recordedReason())) {
      StepStatus failed = p.firstIn(StepState.UndoFailed);
      if (failed != null && failed.getName().equals(p.annotation(Annotations.RETRY))) {
        return RollbackDecisions.retryUndo(p, failed);
      }
      if (failed != null && p.annotated(Annotations.ABORT)) {
        // The rollback is already what the abort asks for, and it stands at an undo that failed: the
        // abort cannot skip it (the step's changes would stay while earlier steps are undone under
        // them), and it stays set, so it must not re-run the undo on every reconcile either.
        return p.hold(null, new Health(p.recordedReason(), "rollback stopped: undoing step " + failed.getName() + " "
            + failed.getMessage().replaceFirst("^undo ", "") + "; " + Annotations.ABORT + " changes nothing here,"
            + " as the rollback it asks for is already under way — fix the cause and annotate " + Annotations.RETRY
            + "=" + failed.getName() + " to run the undo again", true));
      }
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
        return RollbackDecisions.startRollback(p, p.status.getMessage().replaceFirst(";.*", "") + ", then aborted by "
            + Annotations.ABORT);
      }
    }
    return p.hold(null, new Health(p.recordedReason(), p.status.getMessage(), true));
  }

  /** Why no new step may start under the current spec, or {@code null}. */
  private static Health blockedBySpec(DecisionDraft p) {
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

}
