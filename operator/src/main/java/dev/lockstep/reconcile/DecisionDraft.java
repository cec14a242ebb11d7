package dev.lockstep.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.api.Annotations;
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
import java.util.Map;

/** The decision being built: the new status and the inputs it is built from. */
final class DecisionDraft {
  final SchemaMigration migration;
  final SchemaMigrationStatus status;
  final Observation observed;
  final Instant now;

  DecisionDraft(SchemaMigration migration, Observation observed, Instant now) {
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
    return RollbackOrder.nextToUndo(migration, status.getSteps());
  }

  /** The reason conditions gave when this terminal phase was reached, kept as long as it lasts. */
  String recordedReason() {
    if (status.getConditions() != null) {
      for (var condition : status.getConditions()) {
        if (Conditions.READY.equals(condition.getType()) && condition.getReason() != null) {
          return condition.getReason();
        }
      }
    }
    return status.getPhase().name();
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
