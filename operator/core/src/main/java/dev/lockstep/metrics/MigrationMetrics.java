package dev.lockstep.metrics;


import dev.lockstep.api.Phase;
import java.time.Duration;
import java.time.Instant;

/**
 * What Lockstep counts about migrations, one method per event. The reconciler reports through
 * {@link StatusMetrics}, which derives the events from the status it writes; {@link
 * MicrometerMigrationMetrics} turns them into Prometheus series (documented in the README).
 */
public interface MigrationMetrics {

  /** A migration entered {@code phase} at {@code since} (or was first seen in it after a restart). */
  void phase(String namespace, String migration, Phase phase, Instant since);

  /** The migration is gone: its series go too. */
  void forget(String namespace, String migration);

  /** A step's attempt (or its undo) ended. */
  void stepFinished(String kind, StepOutcome outcome, Duration took);

  /** A rollback started. */
  void rollbackStarted(RollbackReason reason);

  /** Statements a step's Job retried after hitting the lock timeout. */
  void lockTimeoutRetries(String kind, int retries);

  /** Rows a backfill (or its undo) changed. */
  void backfillRows(long rows);

  /** Time a migration spent held by a gate before it let the migration go on. */
  void gateWaited(Gate gate, Duration waited);

  /** This operator instance started or stopped leading (always leading without leader election). */
  void leading(boolean leading);

  /** How a step's attempt ended. */
  enum StepOutcome {
    SUCCEEDED,
    FAILED,
    UNDONE,
    UNDO_FAILED
  }

  /** Why a rollback started; derived from what the reconcile observed, never from a message. */
  enum RollbackReason {
    STEP_FAILED,
    GUARD_BREACHED,
    ABORTED
  }

  /** What held a migration. */
  enum Gate {
    /** {@code approval: required}, until someone approved. */
    APPROVAL,
    /** {@code dependsOn} and the database's lease, in {@code Queued}. */
    QUEUE,
    /** The pause annotation. */
    PAUSE,
    /** A wait step's conditions: {@code podsReady}, {@code compatible}, {@code duration}, {@code prometheus}. */
    WAIT_PODS_READY,
    WAIT_COMPATIBLE,
    WAIT_DURATION,
    WAIT_PROMETHEUS
  }

  /** Counts nothing: for tests and tools that do not serve /metrics. */
  MigrationMetrics NONE = new MigrationMetrics() {
    @Override
    public void phase(String namespace, String migration, Phase phase, Instant since) {}

    @Override
    public void forget(String namespace, String migration) {}

    @Override
    public void stepFinished(String kind, StepOutcome outcome, Duration took) {}

    @Override
    public void rollbackStarted(RollbackReason reason) {}

    @Override
    public void lockTimeoutRetries(String kind, int retries) {}

    @Override
    public void backfillRows(long rows) {}

    @Override
    public void gateWaited(Gate gate, Duration waited) {}

    @Override
    public void leading(boolean leading) {}
  };
}
