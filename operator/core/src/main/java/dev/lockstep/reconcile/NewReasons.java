package dev.lockstep.reconcile;

/**
 * Condition reasons added by the safety fixes, kept in one place until they join the others.
 */
public final class NewReasons {

  /** Something must wait until a Job of the migration has ended: nothing runs beside a Job. */
  public static final String WAITING_FOR_JOB = "WaitingForJob";

  /** An undo is being tried again, as asked by the retry annotation. */
  public static final String RETRYING_UNDO = "RetryingUndo";

  /**
   * A guard looked breached, but not yet on enough consecutive checks to count: the migration looks
   * again before starting anything (see {@code GuardConfirmation}).
   */
  public static final String GUARD_UNCONFIRMED = "GuardBreachUnconfirmed";

  /** Event reason: a step began to wait at a gate (a new gate or subject), named in the message. */
  public static final String STEP_WAITING = "StepWaiting";

  private NewReasons() {}
}
