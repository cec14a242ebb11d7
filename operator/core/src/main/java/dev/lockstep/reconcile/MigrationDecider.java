package dev.lockstep.reconcile;

import dev.lockstep.api.Annotations;
import dev.lockstep.api.Approval;
import dev.lockstep.api.Failure;
import dev.lockstep.api.FailureReason;
import dev.lockstep.api.Phase;
import dev.lockstep.api.RollbackCause;
import dev.lockstep.api.RollbackPolicy;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.Step;
import dev.lockstep.steps.StepKinds;
import dev.lockstep.api.StepState;
import dev.lockstep.api.StepStatus;
import dev.lockstep.gates.GuardReading;
import dev.lockstep.jobs.JobNames;
import dev.lockstep.scripts.Inspection;
import dev.lockstep.steps.BackfillStepHandler;
import dev.lockstep.steps.Hold;
import dev.lockstep.steps.StepObservation;
import dev.lockstep.steps.StepTimeouts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

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
  /**
   * How many times one step's Job may be interrupted (its pod terminated) and resumed by a new
   * attempt; one more interruption fails the step, which rolls back as any failure does.
   */
  static final int MAX_INTERRUPTIONS = 3;

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
    Decision decision = decideFreely(migration, observed, now);
    if (decision.status().getPhase() != Phase.Failed) {
      decision.status().setFailure(null); // status.failure says why it is Failed: only while it is
    }
    StepHolds.forgetWaitsOfStepsNotStarted(decision.status());
    return nothingBesideAJob(migration, observed, now, decision);
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
    } else if (decision.action() instanceof Action.RepairStep repair) {
      String adopted = JobNames.forRepair(name, repair.step(), decision.status().getRepair().getAttempts());
      blocked = active.stream().allMatch(adopted::equals) ? null : "repairing step " + repair.step();
    }
    if (blocked == null) {
      return decision;
    }
    return new DecisionDraft(migration, observed, now, kinds).hold(JOB_RECHECK, Health.progressing(
        Reason.WaitingForJob, "waiting for Job " + String.join(", ", active) + " to end before " + blocked));
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
      return p.phase(Phase.Pending, NOW, Health.progressing(Reason.Accepted, "accepted; validating next"));
    }
    return switch (phase) {
      case Pending, Queued -> QueueDecisions.queued(p);
      case Validating -> validating(p);
      case Progressing, WaitingForApproval, Paused -> progressing(p);
      case RollingBack -> RollbackDecisions.rollingBack(p);
      case Succeeded -> succeeded(p);
      case Failed, RolledBack -> finished(p);
    };
  }

  private Decision validating(DecisionDraft p) {
    Inspection inspection = p.observed.inspection();
    if (inspection != null) {
      return inspecting(p, inspection);
    }
    List<String> problems = p.observed.validationProblems();
    if (problems == null) {
      return p.hold(NOW, Health.progressing(Reason.Validating, "validating the spec"));
    }
    p.status.setObservedGeneration(p.generation());
    if (!problems.isEmpty()) {
      return p.fail(FailureReason.ValidationFailed, null, "invalid spec: " + String.join("; ", problems), "");
    }
    List<String> noReturn = p.migration.getSpec().getSteps().stream()
        .filter(s -> s.getBackfill() != null && s.getBackfill().getUndo() == null)
        .map(s -> "step " + s.getName() + " is a point of no return: " + BackfillStepHandler.irreversible(s.getName()))
        .collect(Collectors.toCollection(ArrayList::new));
    noReturn.addAll(p.observed.noReturn());
    return p.phase(Phase.Progressing, NOW, Health.progressing(Reason.Validated, "the spec is valid; starting"
        + (noReturn.isEmpty() ? "" : ". " + String.join("; ", noReturn))));
  }

  /**
   * Scripts from an image: validation waits for the inspection Job, and its result goes into status
   * so that it runs once per image; the next reconcile validates from it as from a ConfigMap.
   */
  private static Decision inspecting(DecisionDraft p, Inspection inspection) {
    String what = "the scripts in image " + inspection.image();
    return switch (inspection.stage()) {
      case NOT_STARTED -> p.act(new Action.InspectScripts(), JOB_RECHECK,
          Health.progressing(Reason.InspectingScripts, "inspecting " + what + " (Job " + inspection.job() + ")"));
      case RUNNING -> p.hold(JOB_RECHECK, Health.progressing(Reason.InspectingScripts, "inspecting " + what
          + ": Job " + inspection.job() + " is running"
          + (inspection.message() == null ? "" : "; " + inspection.message())));
      case DONE -> {
        p.status.setInspectedScripts(inspection.result());
        int files = inspection.result().getFiles() == null ? 0 : inspection.result().getFiles().size();
        yield p.hold(NOW, Health.progressing(Reason.InspectingScripts, "inspected " + what + ": " + files
            + (files == 1 ? " script" : " scripts") + "; validating next"));
      }
      case FAILED -> {
        p.status.setObservedGeneration(p.generation());
        yield p.fail(FailureReason.ValidationFailed, null, "invalid spec: " + what
            + " (spec.scripts.image) could not be inspected: " + inspection.message(), "");
      }
    };
  }

  private Decision progressing(DecisionDraft p) {
    p.status.setObservedGeneration(p.generation());
    String abort = rollbackEnabled && p.annotated(Annotations.ABORT)
        ? "aborted by the annotation " + Annotations.ABORT : null;
    GuardReading guards = p.observed.guards();
    String seenBreach = guards == null ? null : guards.breach();
    String breach = null;
    if (guards != null) {
      Instant since = guards.prometheusOutOfBoundsSince();
      p.status.setGuardBreachSince(since == null ? null : since.toString());
      breach = GuardConfirmation.confirm(p.status, seenBreach, p.now);
    }
    StepStatus running = p.firstIn(StepState.Running);
    if (running != null) {
      Decision watched = watchRunning(p, running, abort, breach);
      if (watched != null) {
        return seenBreach == null ? watched : lookAgainSoon(watched);
      }
      // The running step was stopped, having changed nothing yet or ended: act on why.
    }
    if (abort != null) {
      return RollbackDecisions.startRollback(p, RollbackCause.Aborted, p.status.getCurrentStep(), abort);
    }
    if (breach != null) {
      return onGuardBreach(p, breach);
    }
    if (seenBreach != null) {
      return p.hold(GUARD_RECHECK, Health.progressing(Reason.GuardBreachUnconfirmed,
          GuardConfirmation.unconfirmed(p.status, seenBreach)));
    }
    Health blocked = blockedBySpec(p);
    if (blocked != null) {
      return p.hold(null, blocked);
    }
    StepStatus next = p.firstNotSucceeded();
    if (next == null) {
      StepStatus last = p.status.getSteps().get(p.status.getSteps().size() - 1);
      p.status.setCurrentStep(last.getName());
      return p.phase(Phase.Succeeded, null, Health.progressing(Reason.Succeeded, "all "
          + p.status.getSteps().size() + " steps succeeded"));
    }
    p.status.setCurrentStep(next.getName());
    Step step = p.spec(next.getName());
    if (p.annotated(Annotations.PAUSE)) {
      return p.phase(Phase.Paused, null, Health.progressing(Reason.Paused,
          "paused by the annotation " + Annotations.PAUSE + " before step " + next.getName()
              + "; remove it to go on"));
    }
    if (step.getApproval() == Approval.REQUIRED && !p.approved(next.getName())) {
      String ask = "annotate " + Annotations.APPROVE + "=" + next.getName();
      next.setWaitingFor(StepHolds.record(next.getWaitingFor(), List.of(new Hold(Hold.Gate.APPROVAL,
          "step " + next.getName(), "step " + next.getName() + " needs approval: " + ask)), p.now));
      next.setMessage("waiting for approval since " + next.getWaitingFor().get(0).getSince() + ": " + ask);
      return p.phase(Phase.WaitingForApproval, null, Health.progressing(Reason.WaitingForApproval,
          "step " + next.getName() + " needs approval: " + ask));
    }
    next.setState(StepState.Running);
    next.setAttempts(next.getAttempts() == null ? 1 : next.getAttempts() + 1);
    next.setStartedAt(p.now.toString());
    next.setFinishedAt(null);
    next.setMessage("started");
    next.setWaitingFor(null);
    next.setProgress(null);
    // What the last attempt's Job reported no longer holds; versionBefore (where the step first
    // started) does, for the undo.
    next.setVersionAfter(null);
    next.setLockRetries(null);
    next.setLockWaitMillis(null);
    next.setSpecHash(StepFingerprint.of(step));
    p.status.setPhase(Phase.Progressing);
    return p.act(new Action.StartStep(next.getName()), NOW,
        Health.progressing(Reason.StepRunning, "step " + next.getName() + " started"));
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
      return observeRunning(p, running, false);
    }
    Duration timeout = StepTimeouts.of(p.migration.getSpec(), p.spec(running.getName()));
    boolean late = !p.now.isBefore(Instant.parse(running.getStartedAt()).plus(timeout));
    String stop = abort != null ? abort : breach != null ? "guard breached: " + breach : null;
    boolean ended = seen.outcome() == StepObservation.Outcome.SUCCEEDED
        || seen.outcome() == StepObservation.Outcome.FAILED;
    if (ended || (stop == null && !late)) {
      // An interrupted Job is resumed only when nothing asks the step to stop and its time is not up.
      return observeRunning(p, running, stop == null && !late);
    }
    String lateness = "did not finish within its timeout of " + dev.lockstep.api.Durations.format(timeout)
        + (seen.holds().isEmpty() ? "" : ": " + StepHolds.stillWaitingFor(seen.holds()));
    if (!p.observed.activeJobs().isEmpty()) {
      p.status.setCurrentStep(running.getName());
      p.status.setPhase(Phase.Progressing);
      running.setMessage(seen.message());
      String then = stop != null ? "; then the rollback undoes it too" : ", as its deadline ends it";
      return p.hold(JOB_RECHECK, Health.progressing(Reason.WaitingForJob, "step " + running.getName()
          + (stop != null ? " is to stop (" + stop + ")" : " " + lateness) + ": waiting for Job "
          + String.join(", ", p.observed.activeJobs()) + " to end, as a running Job is never stopped half-way"
          + then));
    }
    // What the step was waiting for is the reason it is late: keep it, or the user learns only "late".
    // (the holds name it already, when the step reported them).
    String lateBecause = !seen.holds().isEmpty() || seen.message() == null || seen.message().isBlank() ? lateness
        : lateness + ": " + seen.message();
    running.setState(StepState.Failed);
    running.setFinishedAt(p.now.toString());
    running.setWaitingFor(null);
    running.setMessage(stop != null ? "stopped: " + stop : lateBecause);
    if (stop == null) {
      return onStepFailure(p, running, "step " + running.getName() + " " + lateBecause);
    }
    return null;
  }

  private Decision observeRunning(DecisionDraft p, StepStatus running, boolean mayResume) {
    p.status.setCurrentStep(running.getName());
    p.status.setPhase(Phase.Progressing);
    StepObservation seen = p.observed.step();
    if (seen == null) {
      return p.hold(NOW, Health.progressing(Reason.StepRunning, "step " + running.getName() + " is running"));
    }
    return switch (seen.outcome()) {
      case SUCCEEDED -> {
        running.setState(StepState.Succeeded);
        running.setFinishedAt(p.now.toString());
        running.setWaitingFor(null);
        running.setMessage(seen.message());
        running.setProgress(null);
        p.apply(running, seen);
        yield p.hold(NOW, Health.progressing(Reason.StepSucceeded, "step " + running.getName() + " succeeded"));
      }
      case FAILED -> {
        boolean interrupted = seen.report() != null && seen.report().interrupted();
        if (interrupted && mayResume && interruptions(running) < MAX_INTERRUPTIONS) {
          yield resumeInterrupted(p, running, seen);
        }
        running.setState(StepState.Failed);
        running.setFinishedAt(p.now.toString());
        running.setWaitingFor(null);
        running.setMessage(seen.message());
        p.apply(running, seen);
        if (seen.report() != null && seen.report().repair() != null) {
          yield RepairDecisions.needsRepair(p, running, seen.report().repair());
        }
        String bound = interrupted && interruptions(running) >= MAX_INTERRUPTIONS
            ? " (interrupted " + (interruptions(running) + 1) + " times; a step is resumed at most "
                + MAX_INTERRUPTIONS + " times)" : "";
        yield onStepFailure(p, running, "step " + running.getName() + " failed: " + seen.message() + bound);
      }
      case MISSING, ACT_AGAIN -> {
        running.setMessage(seen.message());
        yield p.act(new Action.StartStep(running.getName()), Duration.ofSeconds(1),
            Health.progressing(Reason.StepRunning, seen.message()));
      }
      case RUNNING -> {
        Duration timeout = StepTimeouts.of(p.migration.getSpec(), p.spec(running.getName()));
        Instant deadline = Instant.parse(running.getStartedAt()).plus(timeout);
        running.setWaitingFor(StepHolds.record(running.getWaitingFor(), seen.holds(), p.now));
        running.setMessage(seen.message() + StepHolds.waitedSuffix(running.getWaitingFor(), p.now));
        running.setProgress(seen.progress());
        running.setHoldingSince(seen.holdingSince() == null ? null : seen.holdingSince().toString());
        Duration recheck = seen.recheckAfter() == null ? Duration.ofSeconds(5) : seen.recheckAfter();
        Duration untilDeadline = Duration.between(p.now, deadline);
        yield p.hold(recheck.compareTo(untilDeadline) < 0 ? recheck : untilDeadline,
            Health.progressing(Reason.StepRunning, "step " + running.getName() + ": " + seen.message()));
      }
    };
  }

  private static int interruptions(StepStatus step) {
    return step.getInterruptions() == null ? 0 : step.getInterruptions();
  }

  /**
   * The step's Job ended because its pod was terminated (the runner stopped on SIGTERM, or was
   * killed before it reported): what it committed stays, and a new attempt — a new Job, named for
   * its attempt — continues from the checkpoint. The step keeps its start time, so its timeout
   * bounds all its attempts.
   */
  private static Decision resumeInterrupted(DecisionDraft p, StepStatus running, StepObservation seen) {
    int interruption = interruptions(running) + 1;
    running.setInterruptions(interruption);
    running.setAttempts(running.getAttempts() == null ? 2 : running.getAttempts() + 1);
    running.setProgress(null);
    running.setWaitingFor(null);
    p.apply(running, seen);
    String message = "step " + running.getName() + " was interrupted (" + seen.message() + "); attempt "
        + running.getAttempts() + " continues from its checkpoint (interruption " + interruption + " of at most "
        + MAX_INTERRUPTIONS + ")";
    running.setMessage(message);
    return p.act(new Action.StartStep(running.getName()), NOW, Health.progressing(Reason.BackfillInterrupted, message));
  }

  /** The decision, coming back within {@link #GUARD_RECHECK} to see whether a breach persists. */
  private static Decision lookAgainSoon(Decision decision) {
    Duration requeue = decision.requeueAfter();
    if (requeue != null && requeue.compareTo(GUARD_RECHECK) <= 0) {
      return decision;
    }
    return new Decision(decision.status(), decision.action(), GUARD_RECHECK, decision.health());
  }

  private Decision onStepFailure(DecisionDraft p, StepStatus failed, String why) {
    boolean automatic = p.migration.getSpec().getRollback() == null
        || p.migration.getSpec().getRollback().getPolicy() != RollbackPolicy.Manual;
    if (rollbackEnabled && automatic && p.nextToUndo() != null) {
      return RollbackDecisions.startRollback(p, RollbackCause.StepFailed, failed.getName(), why);
    }
    String next = automatic ? "" : "; annotate " + Annotations.RETRY + "=" + failed.getName() + " to retry it"
        + (rollbackEnabled ? " or " + Annotations.ABORT + "=true to roll back" : "");
    return p.fail(FailureReason.StepFailed, failed.getName(), why, next);
  }

  private Decision onGuardBreach(DecisionDraft p, String breach) {
    String why = "guard breached: " + breach;
    boolean automatic = p.migration.getSpec().getRollback() == null
        || p.migration.getSpec().getRollback().getPolicy() != RollbackPolicy.Manual;
    if (p.nextToUndo() == null) {
      return p.hold(GUARD_RECHECK, Health.stalled(Reason.GuardBreached, why + "; no step has changed anything yet, so"
          + " the migration waits for the guard to hold again"));
    }
    if (rollbackEnabled && automatic) {
      return RollbackDecisions.startRollback(p, RollbackCause.GuardBreached, p.status.getCurrentStep(), why);
    }
    return p.phase(Phase.Paused, GUARD_RECHECK, Health.stalled(Reason.GuardBreached, why + "; the migration waits"
        + " (rollback policy Manual) and goes on once the guard holds again, or annotate " + Annotations.ABORT
        + "=true to roll back"));
  }

  private Decision succeeded(DecisionDraft p) {
    if (p.generation() == p.observedGeneration()) {
      return p.hold(null, Health.progressing(Reason.Succeeded, p.status.getMessage()));
    }
    // The spec changed after success: new steps at the end run; anything else is reported.
    if (p.observed.validationProblems() == null) {
      return p.hold(NOW, Health.progressing(Reason.Succeeded, p.status.getMessage()));
    }
    Health blocked = blockedBySpec(p);
    p.status.setObservedGeneration(p.generation());
    if (blocked != null) {
      return p.hold(null, blocked);
    }
    if (p.firstNotSucceeded() == null) {
      return p.hold(null, Health.progressing(Reason.Succeeded, p.status.getMessage()));
    }
    return p.phase(Phase.Progressing, NOW, Health.progressing(Reason.SpecExtended, "new steps were added; running them"));
  }

  /**
   * Failed or RolledBack: it stays so until the spec of a migration that never ran is edited, or a
   * person asks for a retry or an abort that fits why it failed ({@code status.failure}).
   */
  private Decision finished(DecisionDraft p) {
    boolean nothingRan = p.status.getSteps().stream().allMatch(s -> s.getState() == StepState.Pending);
    if (nothingRan && p.generation() != p.observedGeneration()) {
      // A spec that failed validation was edited: queue it again.
      return p.phase(Phase.Pending, NOW, Health.progressing(Reason.SpecChanged, "the spec changed; trying again"));
    }
    if (p.status.getPhase() == Phase.Failed && p.status.getRepair() != null) {
      return RepairDecisions.failedAndStuck(p);
    }
    if (p.status.getPhase() == Phase.RolledBack) {
      return p.hold(null, Health.stalled(Reason.RolledBack, p.status.getMessage()));
    }
    Failure failure = p.failure();
    if (failure == null) {
      // Failed with no cause on record (written by hand, or by a version older than status.failure
      // whose conditions are gone): nothing to retry; it says Failed until the spec changes.
      return p.hold(null, Health.stalled(Reason.Failed, p.status.getMessage()));
    }
    StepStatus failed = failure.getStep() == null ? null : p.step(failure.getStep());
    boolean retried = failed != null && failed.getName().equals(p.annotation(Annotations.RETRY));
    return switch (failure.getReason()) {
      case UndoFailed -> retried && failed.getState() == StepState.UndoFailed ? RollbackDecisions.retryUndo(p, failed)
          : failed != null && p.annotated(Annotations.ABORT) ? abortChangesNothing(p, failed)
          : staysFailed(p, failure);
      case StepFailed -> retried && failed.getState() == StepState.Failed ? retry(p, failed)
          : rollbackEnabled && p.annotated(Annotations.ABORT) && p.nextToUndo() != null
              ? RollbackDecisions.startRollback(p, RollbackCause.Aborted, failure.getStep(),
                  failure.getMessage() + ", then aborted by " + Annotations.ABORT)
              : staysFailed(p, failure);
      // Only a spec change moves these (above): nothing ran, or the way back ended at a step with none.
      case ValidationFailed, PointOfNoReturn -> staysFailed(p, failure);
    };
  }

  private static Decision retry(DecisionDraft p, StepStatus failed) {
    failed.setState(StepState.Pending);
    failed.setMessage("retrying after: " + failed.getMessage());
    p.status.setPhase(Phase.Progressing);
    return p.act(new Action.ClearAnnotation(Annotations.RETRY), NOW, Health.progressing(Reason.Retrying,
        "retrying step " + failed.getName() + " as asked by " + Annotations.RETRY));
  }

  /**
   * The rollback is already what an abort asks for, and it stands at an undo that failed: the abort
   * cannot skip it (the step's changes would stay while earlier steps are undone under them), and it
   * stays set, so it must not re-run the undo on every reconcile either.
   */
  private static Decision abortChangesNothing(DecisionDraft p, StepStatus failed) {
    return p.hold(null, Health.stalled(Reason.UndoFailed, "rollback stopped: undoing step " + failed.getName()
        + " failed (" + failed.getMessage() + "); " + Annotations.ABORT + " changes nothing here, as the rollback"
        + " it asks for is already under way — fix the cause and annotate " + Annotations.RETRY + "="
        + failed.getName() + " to run the undo again"));
  }

  private static Decision staysFailed(DecisionDraft p, Failure failure) {
    return p.hold(null, Health.stalled(Reason.of(failure.getReason()), p.status.getMessage()));
  }

  /** Why no new step may start under the current spec, or {@code null}. */
  private static Health blockedBySpec(DecisionDraft p) {
    List<String> problems = p.observed.validationProblems();
    if (problems != null && !problems.isEmpty()) {
      return Health.stalled(Reason.InvalidSpec, "no new step starts until the spec is fixed: " + String.join("; ", problems));
    }
    List<String> changed = p.status.getSteps().stream()
        .filter(s -> s.getSpecHash() != null && s.getState() != StepState.Pending)
        .filter(s -> p.spec(s.getName()) == null || !s.getSpecHash().equals(StepFingerprint.of(p.spec(s.getName()))))
        .map(StepStatus::getName)
        .toList();
    if (!changed.isEmpty()) {
      return Health.stalled(Reason.CompletedStepChanged, "step" + (changed.size() == 1 ? " " : "s ")
          + String.join(", ", changed) + " already ran and cannot change; revert the edit, or create a new"
          + " SchemaMigration for the new change");
    }
    return null;
  }

}
