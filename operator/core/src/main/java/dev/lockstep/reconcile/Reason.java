package dev.lockstep.reconcile;

import dev.lockstep.api.FailureReason;
import dev.lockstep.api.Phase;
import dev.lockstep.api.RepairReason;
import dev.lockstep.api.StepState;

/**
 * Every reason the operator writes: the reason of the {@code Ready}, {@code Reconciling} and
 * {@code Stalled} conditions, and the reason of each Kubernetes Event. A constant's name is the
 * string on the wire ({@link #name()}), which the CRD's readers rely on — the Argo CD scripts, the
 * kubectl plugin, dashboards — so a name never changes; a new reason is a new constant (and a row
 * in the README's table of reasons, which a test checks).
 */
public enum Reason {

  // Conditions: the way in.
  /** Condition: the migration was seen for the first time. */
  Accepted,
  /** Condition and Event: waiting in line (the Event when the phase becomes Queued). */
  Queued,
  /** Condition: a migration named in {@code spec.dependsOn} has not succeeded yet. */
  WaitingForDependency,
  /** Condition (Stalled): a dependency ended Failed or RolledBack. */
  DependencyFailed,
  /** Condition: another migration holds, or is first in line for, the database. */
  WaitingForDatabase,
  /** Condition and Event: the spec is being validated (the Event when the phase becomes Validating). */
  Validating,
  /** Condition (Stalled): the spec or its dependencies are invalid; nothing ran. */
  ValidationFailed,
  /** Condition: the spec is valid; the steps start. */
  Validated,
  /** Condition: validation waits for the Job that inspects the scripts image ({@code spec.scripts.image}). */
  InspectingScripts,

  // Conditions: steps.
  /** Condition: a step runs. */
  StepRunning,
  /** Condition and Event: a step succeeded. */
  StepSucceeded,
  /** Condition (Stalled) and Event: a step failed (the condition when no rollback follows). */
  StepFailed,
  /**
   * Condition and Event (Warning): a backfill's Job was interrupted — its pod terminated — and a new
   * attempt continues from the checkpoint (at most {@code MigrationDecider.MAX_INTERRUPTIONS} times).
   */
  BackfillInterrupted,
  /** Condition: something must wait until a Job of the migration has ended; nothing runs beside a Job. */
  WaitingForJob,
  /** Condition and Event: a step needs the approve annotation. */
  WaitingForApproval,
  /** Condition and Event: the pause annotation holds the migration before its next step. */
  Paused,
  /** Condition (Stalled): a guard is breached and there is nothing, or no permission, to roll back. */
  GuardBreached,
  /**
   * Condition: a guard looks breached, but a breach counts only once seen on consecutive checks
   * (see {@code GuardConfirmation}); no new step starts meanwhile.
   */
  GuardBreachUnconfirmed,
  /** Condition (Stalled): the current spec is invalid; no new step starts until it is fixed. */
  InvalidSpec,
  /** Condition (Stalled): a step that already ran was edited. */
  CompletedStepChanged,
  /** Condition: a failed step runs again, as asked by the retry annotation. */
  Retrying,

  // Conditions: a step that failed half-way (also the reasons of the NeedsRepair condition).
  /** Condition (Stalled) and NeedsRepair: a script failed half-way; its Flyway history row is marked failed. */
  FailedMigration,
  /** Condition (Stalled) and NeedsRepair: Flyway's advisory lock is held by another session. */
  FlywayLockHeld,
  /** Condition (Stalled) and NeedsRepair: a failed concurrent build left an invalid index. */
  InvalidIndex,
  /** Condition: a repair Job runs, as asked by the repair annotation. */
  Repairing,

  // Conditions: the way back.
  /** Condition and Event: completed steps are being undone, newest first. */
  RollingBack,
  /** Condition: an undo is being tried again, as asked by the retry annotation. */
  RetryingUndo,
  /** Condition (Stalled): undoing a step failed; the rollback stopped. */
  UndoFailed,
  /** Condition (Stalled): the rollback reached a step that cannot be undone. */
  PointOfNoReturn,
  /** Condition (Stalled) and Event: every step that changed something was undone. */
  RolledBack,

  // Conditions: the end, and after.
  /** Condition and Event: every step succeeded. */
  Succeeded,
  /** Condition: steps were added to a migration that had succeeded; they run. */
  SpecExtended,
  /** Condition: a spec that failed validation was edited; the migration is queued again. */
  SpecChanged,
  /** Condition: a reconcile threw; the message has the error (Stalled once retries are used up). */
  ReconcileError,

  // Events only.
  /** Event: the migration is new and waits to be queued (phase Pending). */
  Pending,
  /** Event: the phase became Progressing. */
  Progressing,
  /**
   * Event: the phase became Failed (the conditions say why, with one of the reasons of
   * {@code status.failure}); also the condition of a Failed migration with no cause on record.
   */
  Failed,
  /** Event: a step started (an attempt). */
  StepStarted,
  /** Event: a step's undo started. */
  StepUndoing,
  /** Event: a step was undone. */
  StepUndone,
  /** Event: a step's undo failed. */
  StepUndoFailed,
  /** Event: a step is pending again (a retry). */
  StepReset,
  /** Event: a step began to wait at a gate (a new gate or subject), named in the message. */
  StepWaiting,
  /** Event: the migration succeeded and these flags serve one variant to all traffic: remove them from code. */
  FlagsRemovable;

  /** The reason of the {@code NeedsRepair} condition (and of {@code Ready} and {@code Stalled} meanwhile). */
  public static Reason of(RepairReason reason) {
    return switch (reason) {
      case FailedMigration -> FailedMigration;
      case FlywayLockHeld -> FlywayLockHeld;
      case InvalidIndex -> InvalidIndex;
    };
  }

  /** The reason of the Event written when the phase becomes {@code phase}. */
  public static Reason enteredPhase(Phase phase) {
    return switch (phase) {
      case Pending -> Pending;
      case Queued -> Queued;
      case Validating -> Validating;
      case Progressing -> Progressing;
      case WaitingForApproval -> WaitingForApproval;
      case Paused -> Paused;
      case RollingBack -> RollingBack;
      case Succeeded -> Succeeded;
      case RolledBack -> RolledBack;
      case Failed -> Failed;
    };
  }

  /** The reason of the Event written when a step's state becomes {@code state}. */
  public static Reason enteredStepState(StepState state) {
    return switch (state) {
      case Pending -> StepReset;
      case Running -> StepStarted;
      case Succeeded -> StepSucceeded;
      case Failed -> StepFailed;
      case RollingBack -> StepUndoing;
      case RolledBack -> StepUndone;
      case UndoFailed -> StepUndoFailed;
    };
  }

  /** The condition reason of a migration that failed for {@code why}. */
  public static Reason of(FailureReason why) {
    return switch (why) {
      case ValidationFailed -> ValidationFailed;
      case StepFailed -> StepFailed;
      case UndoFailed -> UndoFailed;
      case PointOfNoReturn -> PointOfNoReturn;
    };
  }
}
