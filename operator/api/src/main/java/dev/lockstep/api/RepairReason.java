package dev.lockstep.api;

/** What a failed step left that only a repair clears; also the reason of the {@code NeedsRepair} condition. */
public enum RepairReason {
  /** A non-transactional script failed half-way; its row in Flyway's history is marked failed. */
  FailedMigration,
  /** Flyway's advisory lock is held by another session, so no migration can start. */
  FlywayLockHeld,
  /** A failed concurrent build left an invalid index. */
  InvalidIndex
}
