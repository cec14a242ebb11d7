package dev.lockstep.reconcile;

/**
 * Condition reasons added by the safety fixes, kept in one place until they join the others.
 */
public final class NewReasons {

  /** Something must wait until a Job of the migration has ended: nothing runs beside a Job. */
  public static final String WAITING_FOR_JOB = "WaitingForJob";

  /** An undo is being tried again, as asked by the retry annotation. */
  public static final String RETRYING_UNDO = "RetryingUndo";

  /** NeedsRepair: a non-transactional script failed half-way; its history row is marked failed. */
  public static final String FAILED_MIGRATION = "FailedMigration";

  /** NeedsRepair: Flyway's advisory lock is held by another session, so no migration can start. */
  public static final String FLYWAY_LOCK_HELD = "FlywayLockHeld";

  /** NeedsRepair: a failed concurrent build left an invalid index. */
  public static final String INVALID_INDEX = "InvalidIndex";

  /** A repair Job runs, as asked by the repair annotation. */
  public static final String REPAIRING = "Repairing";

  /** The type of the condition that is True while a failed step needs a repair. */
  public static final String NEEDS_REPAIR = "NeedsRepair";

  private NewReasons() {}
}
