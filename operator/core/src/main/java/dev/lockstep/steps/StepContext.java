package dev.lockstep.steps;

import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.Step;
import dev.lockstep.api.StepState;
import dev.lockstep.api.StepStatus;
import java.time.Duration;
import java.time.Instant;

/**
 * One step of one migration, as a handler sees it: the spec, what status recorded about the
 * current attempt, and the time of this reconcile.
 *
 * @param migration the resource
 * @param step the step's spec
 * @param status what status recorded of the step (attempts, start time, Job name)
 * @param now the time of this reconcile; handlers never read the clock themselves
 */
public record StepContext(SchemaMigration migration, Step step, StepStatus status, Instant now) {

  /** The step's time limit, counted from the start of its attempt (or of its undo). */
  public Duration timeout() {
    return StepTimeouts.of(migration.getSpec(), step);
  }

  /**
   * The time left before the step's deadline — the undo's, while undoing — at least one second:
   * runner Jobs get it as their {@code activeDeadlineSeconds}, so a Job never outlives its step
   * (its start may have waited on a gate first).
   */
  public Duration remaining() {
    Instant started = undoing() ? undoStartedAt() : startedAt();
    Duration left = Duration.between(now, started.plus(timeout()));
    return left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left;
  }

  /** Whether the step is being undone rather than done. */
  public boolean undoing() {
    return status.getState() == StepState.RollingBack;
  }

  /** When the current attempt started, as recorded in status. */
  public Instant startedAt() {
    return status.getStartedAt() == null ? now : Instant.parse(status.getStartedAt());
  }

  /** When the current attempt to undo the step started, as recorded in status. */
  public Instant undoStartedAt() {
    return status.getUndoStartedAt() == null ? now : Instant.parse(status.getUndoStartedAt());
  }

  /** The attempt of the undo, counted on its own: each has a Job of its own. */
  public int undoAttempt() {
    return status.getUndoAttempts() == null ? 1 : status.getUndoAttempts();
  }

  public int attempt() {
    return status.getAttempts() == null ? 1 : status.getAttempts();
  }

  public String namespace() {
    return migration.getMetadata().getNamespace();
  }
}
