package dev.lockstep.reconcile;


import dev.lockstep.api.Annotations;
import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.SchemaMigrationStatus;
import dev.lockstep.api.Step;
import dev.lockstep.api.StepState;
import dev.lockstep.api.StepStatus;
import dev.lockstep.api.WaitStep;
import dev.lockstep.metrics.MigrationMetrics;
import dev.lockstep.metrics.MigrationMetrics.Gate;
import dev.lockstep.metrics.MigrationMetrics.RollbackReason;
import dev.lockstep.metrics.MigrationMetrics.StepOutcome;
import dev.lockstep.steps.StepObservation;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns each status the reconciler writes into metric events, by comparing it with the status
 * before: the phase entered, steps finished, a rollback started, gates passed, lock retries and
 * backfill rows. The reconciler calls {@link #record} once per reconcile; what is counted lives here.
 *
 * <p>Times a migration entered a gate phase (approval, queue, pause) and a step's undo began are
 * kept in memory: after an operator restart, the wait in progress is not measured.
 */
public final class StatusMetrics {

  private record Key(String namespace, String migration, String step) {}

  private final MigrationMetrics metrics;
  private final Map<Key, Instant> since = new ConcurrentHashMap<>();

  public StatusMetrics(MigrationMetrics metrics) {
    this.metrics = metrics;
  }

  /**
   * @param migration the migration as read, with the status before this reconcile
   * @param observed what the reconcile observed (the step's report, the guards)
   * @param after the status written
   */
  public void record(SchemaMigration migration, Observation observed, SchemaMigrationStatus after, Instant now) {
    String namespace = migration.getMetadata().getNamespace();
    String name = migration.getMetadata().getName();
    SchemaMigrationStatus before = migration.getStatus();
    Phase was = before == null ? null : before.getPhase();
    Phase is = after.getPhase();
    if (is == null) {
      return;
    }
    metrics.phase(namespace, name, is, now);
    if (was != is) {
      Gate left = was == null ? null : gateOf(was);
      Instant entered = since.remove(new Key(namespace, name, null));
      if (left != null && entered != null) {
        metrics.gateWaited(left, Duration.between(entered, now));
      }
      if (gateOf(is) != null) {
        since.put(new Key(namespace, name, null), now);
      }
      if (is == Phase.RollingBack) {
        metrics.rollbackStarted(reason(migration, observed));
      }
    }
    for (StepStatus step : after.getSteps()) {
      StepStatus old = before == null || before.getSteps() == null ? null : before.getSteps().stream()
          .filter(s -> java.util.Objects.equals(s.getName(), step.getName())).findFirst().orElse(null);
      spec(migration, step.getName()).ifPresent(spec -> step(namespace, name, spec, old, step, observed, now));
    }
  }

  /** The migration was deleted. */
  public void forget(String namespace, String migration) {
    metrics.forget(namespace, migration);
    since.keySet().removeIf(k -> k.namespace().equals(namespace) && k.migration().equals(migration));
  }

  private void step(String namespace, String migration, Step spec, StepStatus old, StepStatus now,
      Observation observed, Instant at) {
    // The kind as users write it (migrate, backfill, ...): the spec field that selects it.
    String kind = spec.kindFields().size() == 1 ? spec.kindFields().keySet().iterator().next() : null;
    if (kind == null) {
      return;
    }
    int retries = retries(now) - retries(old);
    if (retries > 0) {
      metrics.lockTimeoutRetries(kind, retries);
    }
    StepState was = old == null ? null : old.getState();
    StepState is = now.getState();
    Key undo = new Key(namespace, migration, now.getName());
    if (was == is) {
      return;
    }
    if (is == StepState.RollingBack) {
      since.put(undo, at);
    }
    StepOutcome outcome = switch (is) {
      case Succeeded -> was == StepState.Running ? StepOutcome.SUCCEEDED : null;
      case Failed -> was == StepState.Running ? StepOutcome.FAILED : null;
      case RolledBack -> was == StepState.RollingBack ? StepOutcome.UNDONE : null;
      case UndoFailed -> was == StepState.RollingBack ? StepOutcome.UNDO_FAILED : null;
      case Pending, Running, RollingBack -> null;
    };
    if (outcome == null) {
      return;
    }
    Instant started = switch (outcome) {
      case SUCCEEDED, FAILED -> parse(now.getStartedAt());
      case UNDONE, UNDO_FAILED -> since.remove(undo);
    };
    Duration took = started == null ? Duration.ZERO : Duration.between(started, at);
    metrics.stepFinished(kind, outcome, took);
    StepObservation seen = observed == null ? null : observed.step();
    if ("backfill".equals(kind) && seen != null && seen.report() != null && seen.report().rows() != null) {
      metrics.backfillRows(seen.report().rows());
    }
    if ("wait".equals(kind) && outcome == StepOutcome.SUCCEEDED && spec.getWaitFor() != null) {
      WaitStep wait = spec.getWaitFor();
      if (Boolean.TRUE.equals(wait.getPodsReady())) {
        metrics.gateWaited(Gate.WAIT_PODS_READY, took);
      }
      if (wait.getCompatible() != null) {
        metrics.gateWaited(Gate.WAIT_COMPATIBLE, took);
      }
      if (wait.getDuration() != null) {
        metrics.gateWaited(Gate.WAIT_DURATION, took);
      }
      if (wait.getPrometheus() != null) {
        metrics.gateWaited(Gate.WAIT_PROMETHEUS, took);
      }
    }
  }

  private static Gate gateOf(Phase phase) {
    return switch (phase) {
      case WaitingForApproval -> Gate.APPROVAL;
      case Queued -> Gate.QUEUE;
      case Paused -> Gate.PAUSE;
      case Pending, Validating, Progressing, RollingBack, Succeeded, RolledBack, Failed -> null;
    };
  }

  private static RollbackReason reason(SchemaMigration migration, Observation observed) {
    Map<String, String> annotations = migration.getMetadata().getAnnotations();
    if (annotations != null && "true".equalsIgnoreCase(String.valueOf(annotations.get(Annotations.ABORT)).trim())) {
      return RollbackReason.ABORTED;
    }
    if (observed != null && observed.guards() != null && observed.guards().breach() != null) {
      return RollbackReason.GUARD_BREACHED;
    }
    return RollbackReason.STEP_FAILED;
  }

  private static Optional<Step> spec(SchemaMigration migration, String step) {
    return migration.getSpec() == null || migration.getSpec().getSteps() == null ? Optional.empty()
        : migration.getSpec().getSteps().stream().filter(s -> java.util.Objects.equals(step, s.getName())).findFirst();
  }

  private static int retries(StepStatus step) {
    return step == null || step.getLockRetries() == null ? 0 : step.getLockRetries();
  }

  private static Instant parse(String time) {
    try {
      return time == null ? null : Instant.parse(time);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
