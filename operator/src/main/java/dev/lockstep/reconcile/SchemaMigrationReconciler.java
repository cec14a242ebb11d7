package dev.lockstep.reconcile;

import dev.lockstep.api.FlagStatus;
import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.SchemaMigrationStatus;
import dev.lockstep.api.Step;
import dev.lockstep.api.StepStatus;
import dev.lockstep.events.EventRecorder;
import dev.lockstep.jobs.JobLabels;
import dev.lockstep.flags.Decommissioner;
import dev.lockstep.steps.StepContext;
import dev.lockstep.steps.StepEffects;
import dev.lockstep.steps.StepObservation;
import dev.lockstep.steps.StepHandlers;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller of SchemaMigrations, kept thin: observe the world, decide, act, record. Everything
 * that needs judgement lives in {@link MigrationDecider}, which does no I/O.
 */
@ControllerConfiguration(
    name = SchemaMigrationReconciler.NAME,
    // Annotations steer a migration (approve, pause, abort), and they do not bump the generation.
    generationAwareEventProcessing = false,
    informer = @Informer(onUpdateFilter = SpecOrAnnotationsChanged.class))
public final class SchemaMigrationReconciler implements Reconciler<SchemaMigration> {

  public static final String NAME = "lockstep";

  private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrationReconciler.class);

  private final MigrationObserver observer;
  private final MigrationDecider decider;
  private final StepHandlers handlers;
  private final EventRecorder events;
  private final Decommissioner decommissioner;
  private final Clock clock;

  public SchemaMigrationReconciler(
      MigrationObserver observer,
      MigrationDecider decider,
      StepHandlers handlers,
      EventRecorder events,
      Decommissioner decommissioner,
      Clock clock) {
    this.observer = observer;
    this.decider = decider;
    this.handlers = handlers;
    this.events = events;
    this.decommissioner = decommissioner;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, SchemaMigration>> prepareEventSources(EventSourceContext<SchemaMigration> context) {
    // Runner Jobs report back through watch events, mapped to their owner.
    var jobs =
        InformerEventSourceConfiguration.from(Job.class, SchemaMigration.class)
            .withLabelSelector(JobLabels.SELECTOR)
            .build();
    return List.of(new InformerEventSource<>(jobs, context));
  }

  @Override
  public UpdateControl<SchemaMigration> reconcile(SchemaMigration migration, Context<SchemaMigration> context) {
    Instant now = clock.instant();
    Observation observed = observer.observe(migration, now);
    Decision decision = decider.decide(migration, observed, now);
    StepEffects effects = act(migration, decision, now);
    if (effects.failure() != null) {
      // The step refused in a way no retry fixes: that is its outcome, decided like any other.
      decision = decider.decide(withStatus(migration, decision.status()),
          observed.withStep(StepObservation.failed(effects.failure(), null)), now);
    }
    remember(decision.status(), effects);
    Optional<String> removable = onSuccess(migration, decision);
    StatusRecorder.Recording recording = StatusRecorder.record(migration, decision, now);
    if (recording.changes(migration.getStatus())) {
      write(migration, recording.status(), context);
      for (StatusRecorder.Transition t : recording.transitions()) {
        events.record(migration, t.type(), t.reason(), t.message());
      }
      removable.ifPresent(message -> events.record(migration, EventRecorder.Type.Normal, "FlagsRemovable", message));
    }
    UpdateControl<SchemaMigration> control = UpdateControl.noUpdate();
    return decision.requeueAfter() == null ? control : control.rescheduleAfter(decision.requeueAfter());
  }

  private StepEffects act(SchemaMigration migration, Decision decision, Instant now) {
    if (decision.action() instanceof Action.StartStep start) {
      StepContext step = context(migration, decision.status(), start.step(), now);
      LOG.info("{}: starting step {} (attempt {})", id(migration), start.step(), step.attempt());
      return handlers.forStep(step.step()).start(step);
    }
    if (decision.action() instanceof Action.UndoStep undo) {
      StepContext step = context(migration, decision.status(), undo.step(), now);
      LOG.info("{}: undoing step {}", id(migration), undo.step());
      return handlers.forStep(step.step()).undo(step);
    }
    return StepEffects.NONE;
  }

  /** Flag records go into status in the same write as the decision that caused them. */
  private static void remember(SchemaMigrationStatus status, StepEffects effects) {
    if (effects.flags().isEmpty()) {
      return;
    }
    Map<String, FlagStatus> flags = status.getFlags() == null ? new TreeMap<>() : new TreeMap<>(status.getFlags());
    flags.putAll(effects.flags());
    status.setFlags(flags);
  }

  /** The first time a migration succeeds, the flags it settled are listed for removal from code. */
  private Optional<String> onSuccess(SchemaMigration migration, Decision decision) {
    boolean justSucceeded = decision.status().getPhase() == Phase.Succeeded
        && (migration.getStatus() == null || migration.getStatus().getPhase() != Phase.Succeeded);
    return justSucceeded ? decommissioner.markRemovable(migration, decision.status()) : Optional.empty();
  }

  private static SchemaMigration withStatus(SchemaMigration migration, SchemaMigrationStatus status) {
    SchemaMigration copy = new SchemaMigration();
    copy.setMetadata(migration.getMetadata());
    copy.setSpec(migration.getSpec());
    copy.setStatus(status);
    return copy;
  }

  /**
   * Writes status with optimistic locking and caches the result, so the next reconcile sees what
   * this one decided. A conflict means someone else changed the resource: the write fails, and the
   * retried reconcile decides again from fresh data instead of forcing a stale decision through.
   */
  private static void write(SchemaMigration migration, SchemaMigrationStatus status, Context<SchemaMigration> context) {
    PrimaryUpdateAndCacheUtils.updateAndCacheResource(
        migration,
        context,
        fresh -> {
          SchemaMigration copy = context.getControllerConfiguration().getConfigurationService()
              .getResourceCloner().clone(fresh);
          copy.setStatus(status);
          return copy;
        },
        r -> context.getClient().resource(r).updateStatus(),
        0,
        PrimaryUpdateAndCacheUtils.DEFAULT_RESOURCE_CACHE_TIMEOUT_MILLIS,
        PrimaryUpdateAndCacheUtils.DEFAULT_RESOURCE_CACHE_POLL_PERIOD_MILLIS);
  }

  private static StepContext context(
      SchemaMigration migration, SchemaMigrationStatus status, String name, Instant now) {
    Step spec = migration.getSpec().getSteps().stream()
        .filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
    StepStatus step = status.getSteps().stream()
        .filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
    return new StepContext(migration, spec, step, now);
  }

  private static String id(SchemaMigration migration) {
    return migration.getMetadata().getNamespace() + "/" + migration.getMetadata().getName();
  }
}
