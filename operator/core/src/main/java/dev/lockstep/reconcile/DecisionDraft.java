package dev.lockstep.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.api.Annotations;
import dev.lockstep.api.Failure;
import dev.lockstep.api.FailureReason;
import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.SchemaMigrationStatus;
import dev.lockstep.api.Step;
import dev.lockstep.api.StepState;
import dev.lockstep.api.StepStatus;
import dev.lockstep.steps.StepObservation;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import dev.lockstep.steps.StepKinds;
import java.util.Map;

/** The decision being built: the new status and the inputs it is built from. */
final class DecisionDraft {
  final SchemaMigration migration;
  final SchemaMigrationStatus status;
  final Observation observed;
  final Instant now;
  final StepKinds kinds;

  DecisionDraft(SchemaMigration migration, Observation observed, Instant now, StepKinds kinds) {
    this.kinds = kinds;
    this.migration = migration;
    this.status = copy(migration.getStatus());
    this.observed = observed;
    this.now = now;
    status.setSteps(StepStatuses.align(status.getSteps(), migration.getSpec().getSteps()));
    if (observed.risk() != null) {
      status.setRisk(observed.risk());
    }
  }

  long generation() {
    Long generation = migration.getMetadata().getGeneration();
    return generation == null ? 0 : generation;
  }

  long observedGeneration() {
    return status.getObservedGeneration() == null ? -1 : status.getObservedGeneration();
  }

  Step spec(String name) {
    return migration.getSpec().getSteps().stream().filter(s -> name.equals(s.getName())).findFirst().orElse(null);
  }

  StepStatus firstIn(StepState state) {
    return status.getSteps().stream().filter(s -> s.getState() == state).findFirst().orElse(null);
  }

  StepStatus firstNotSucceeded() {
    return status.getSteps().stream()
        .filter(s -> spec(s.getName()) != null && s.getState() != StepState.Succeeded)
        .findFirst()
        .orElse(null);
  }

  StepStatus nextToUndo() {
    return RollbackOrder.nextToUndo(migration, status.getSteps(), kinds);
  }

  StepStatus step(String name) {
    return status.getSteps().stream().filter(s -> s.getName().equals(name)).findFirst().orElse(null);
  }

  /**
   * Why a Failed migration failed: {@code status.failure}. A Failed status written by a version
   * before that field has none; then its {@code Ready} condition's reason (a {@link Reason} name, the
   * only thing that version kept of the cause) and the step states stand in: the step is the one in
   * {@code UndoFailed} or {@code Failed} state (the current step for {@code PointOfNoReturn}), the
   * message is built from that step's own. Such a status gains the field with its next write.
   * {@code null} when there is neither: the migration stays Failed until its spec changes.
   */
  Failure failure() {
    if (status.getFailure() != null || status.getPhase() != Phase.Failed) {
      return status.getFailure();
    }
    FailureReason why = legacyReason();
    if (why == null) {
      return null;
    }
    StepStatus step = switch (why) {
      case ValidationFailed -> null;
      case StepFailed -> firstIn(StepState.Failed);
      case UndoFailed -> firstIn(StepState.UndoFailed);
      case PointOfNoReturn -> status.getCurrentStep() == null ? null : step(status.getCurrentStep());
    };
    String message = step == null ? status.getMessage() : switch (why) {
      case StepFailed -> "step " + step.getName() + " failed: " + step.getMessage();
      case ValidationFailed, UndoFailed, PointOfNoReturn -> "step " + step.getName() + ": " + step.getMessage();
    };
    status.setFailure(new Failure(why, step == null ? null : step.getName(), message));
    return status.getFailure();
  }

  private FailureReason legacyReason() {
    if (status.getConditions() == null) {
      return null;
    }
    for (var condition : status.getConditions()) {
      if (Conditions.READY.equals(condition.getType())) {
        for (FailureReason why : FailureReason.values()) {
          if (why.name().equals(condition.getReason())) {
            return why;
          }
        }
      }
    }
    return null;
  }

  /**
   * Ends the migration Failed for {@code why}, with the cause in {@code status.failure}.
   *
   * @param step the step concerned, or {@code null}
   * @param what what went wrong, which is also the start of the message
   * @param todo what a person can do, appended to the message ({@code "; annotate ..."}), or empty
   */
  Decision fail(FailureReason why, String step, String what, String todo) {
    status.setFailure(new Failure(why, step, what));
    return phase(Phase.Failed, null, Health.stalled(Reason.of(why), what + todo));
  }

  boolean annotated(String key) {
    Map<String, String> annotations = migration.getMetadata().getAnnotations();
    return annotations != null && "true".equalsIgnoreCase(String.valueOf(annotations.get(key)).trim());
  }

  String annotation(String key) {
    Map<String, String> annotations = migration.getMetadata().getAnnotations();
    return annotations == null || annotations.get(key) == null ? null : annotations.get(key).trim();
  }

  boolean approved(String step) {
    Map<String, String> annotations = migration.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(Annotations.APPROVE);
    return value != null && Arrays.stream(value.split(",")).map(String::trim).anyMatch(step::equals);
  }

  void apply(StepStatus step, StepObservation seen) {
    if (seen.report() == null) {
      return;
    }
    if (seen.report().versionBefore() != null && step.getVersionBefore() == null) {
      step.setVersionBefore(seen.report().versionBefore());
    }
    if (seen.report().versionAfter() != null) {
      step.setVersionAfter(seen.report().versionAfter());
      status.setSchemaVersion(seen.report().versionAfter());
    }
    if (seen.report().lockRetries() != null) {
      step.setLockRetries(seen.report().lockRetries());
    }
    if (seen.report().lockWaitMillis() != null) {
      step.setLockWaitMillis(seen.report().lockWaitMillis());
    }
  }

  Decision phase(Phase phase, Duration requeue, Health health) {
    status.setPhase(phase);
    return hold(requeue, health);
  }

  Decision hold(Duration requeue, Health health) {
    status.setMessage(health.message());
    return new Decision(status, Action.NONE, requeue, health);
  }

  Decision act(Action action, Duration requeue, Health health) {
    status.setMessage(health.message());
    return new Decision(status, action, requeue, health);
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private static SchemaMigrationStatus copy(SchemaMigrationStatus status) {
    return status == null ? new SchemaMigrationStatus() : JSON.convertValue(status, SchemaMigrationStatus.class);
  }
}
