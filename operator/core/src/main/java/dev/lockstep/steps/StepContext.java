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

  /** The step's time limit; runner Jobs get it as their deadline. */
  public Duration timeout() {
    return StepTimeouts.of(migration.getSpec(), step);
  }

  /** Whether the step is being undone rather than done. */
  public boolean undoing() {
    return status.getState() == StepState.RollingBack;
  }

  /** When the current attempt started, as recorded in status. */
  public Instant startedAt() {
    return status.getStartedAt() == null ? now : Instant.parse(status.getStartedAt());
  }

  public int attempt() {
    return status.getAttempts() == null ? 1 : status.getAttempts();
  }

  public String namespace() {
    return migration.getMetadata().getNamespace();
  }
}
