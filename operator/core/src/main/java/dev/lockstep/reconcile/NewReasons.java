package dev.lockstep.reconcile;

/**
 * Condition reasons added by the safety fixes, kept in one place until they join the others.
 */
public final class NewReasons {

  /** Something must wait until a Job of the migration has ended: nothing runs beside a Job. */
  public static final String WAITING_FOR_JOB = "WaitingForJob";

  /** An undo is being tried again, as asked by the retry annotation. */
  public static final String RETRYING_UNDO = "RetryingUndo";

  /** Validation waits for the Job that inspects the scripts image. */
  public static final String INSPECTING_SCRIPTS = "InspectingScripts";

  private NewReasons() {}
}
