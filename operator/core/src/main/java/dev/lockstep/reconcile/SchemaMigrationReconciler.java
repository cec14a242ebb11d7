package dev.lockstep.reconcile;

import dev.lockstep.api.FlagStatus;
import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.SchemaMigrationStatus;
import dev.lockstep.api.Step;
import dev.lockstep.api.StepState;
import dev.lockstep.api.StepStatus;
import dev.lockstep.cache.ClusterCaches;
import dev.lockstep.events.EventRecorder;
import dev.lockstep.jobs.ActiveJobs;
import dev.lockstep.jobs.JobLabels;
import dev.lockstep.flags.Decommissioner;
import dev.lockstep.metrics.MigrationMetrics;
import dev.lockstep.queue.DatabaseLeases;
import dev.lockstep.scripts.ScriptsInspector;
import dev.lockstep.steps.StepContext;
import dev.lockstep.steps.StepEffects;
import dev.lockstep.steps.StepObservation;
import dev.lockstep.steps.StepHandlers;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.net.HttpURLConnection;
import java.util.HashMap;
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
public final class SchemaMigrationReconciler implements Reconciler<SchemaMigration>, Cleaner<SchemaMigration> {

  public static final String NAME = "lockstep";

  /** After JOSDK's retries of a failing reconcile are used up, it is tried again this often. */
  static final Duration AFTER_RETRIES = Duration.ofMinutes(1);

  /** After JOSDK's retries of a reconcile that kept meeting write conflicts, it is tried again this soon. */
  static final Duration AFTER_CONFLICTS = Duration.ofSeconds(1);

  /** Renew the lease well within its duration. */
  private static final Duration LEASE_UPKEEP = Duration.ofSeconds(15);

  private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrationReconciler.class);

  private final MigrationObserver observer;
  private final MigrationDecider decider;
  private final StepHandlers handlers;
  private final EventRecorder events;
  private final Decommissioner decommissioner;
  private final DatabaseLeases leases;
  private final ClusterCaches caches;
  private final Clock clock;
  private final StatusMetrics metrics;
  private final ScriptsInspector inspector;

  public SchemaMigrationReconciler(
      MigrationObserver observer,
      MigrationDecider decider,
      StepHandlers handlers,
      EventRecorder events,
      Decommissioner decommissioner,
      DatabaseLeases leases,
      ClusterCaches caches,
      Clock clock,
      ScriptsInspector inspector) {
    this(observer, decider, handlers, events, decommissioner, leases, caches, clock,
        new StatusMetrics(MigrationMetrics.NONE), inspector);
  }

  public SchemaMigrationReconciler(
      MigrationObserver observer,
      MigrationDecider decider,
      StepHandlers handlers,
      EventRecorder events,
      Decommissioner decommissioner,
      DatabaseLeases leases,
      ClusterCaches caches,
      Clock clock,
      StatusMetrics metrics,
      ScriptsInspector inspector) {
    this.observer = observer;
    this.decider = decider;
    this.handlers = handlers;
    this.events = events;
    this.decommissioner = decommissioner;
    this.leases = leases;
    this.caches = caches;
    this.clock = clock;
    this.metrics = metrics;
    this.inspector = inspector;
  }

  /** The informers, which are also the caches every read of the observation is served from. */
  @Override
  public List<EventSource<?, SchemaMigration>> prepareEventSources(EventSourceContext<SchemaMigration> context) {
    return EventSources.prepare(context, caches);
  }

  @Override
  public UpdateControl<SchemaMigration> reconcile(SchemaMigration migration, Context<SchemaMigration> context) {
    Instant now = clock.instant();
    Observation observed = observer.observe(migration, now);
    Decision decision = decider.decide(migration, observed, now);
    if (!keepLease(migration, decision, observed, now)) {
      // Another migration of this database got the lease first; look again shortly.
      return UpdateControl.<SchemaMigration>noUpdate().rescheduleAfter(Duration.ofSeconds(1));
    }
    StepEffects effects = act(migration, decision, now, context);
    if (effects.failure() != null && decision.action() instanceof Action.RepairStep) {
      // The step's kind cannot repair: that is the repair's outcome.
      decision = decider.decide(withStatus(migration, decision.status()),
          observed.withRepair(StepObservation.failed(effects.failure(), null)), now);
    } else if (effects.failure() != null) {
      // The step refused in a way no retry fixes: that is its outcome, decided like any other.
      decision = decider.decide(withStatus(migration, decision.status()),
          observed.withStep(StepObservation.failed(effects.failure(), null)), now);
    }
    remember(decision, effects);
    Optional<String> removable = onSuccess(migration, decision);
    StatusRecorder.Recording recording = StatusRecorder.record(migration, decision, now);
    if (recording.changes(migration.getStatus())) {
      write(migration, recording.status(), context);
      for (StatusRecorder.Transition t : recording.transitions()) {
        events.record(migration, t.type(), t.reason().name(), t.message());
      }
      removable.ifPresent(message -> events.record(migration, EventRecorder.Type.Normal,
          Reason.FlagsRemovable.name(), message));
    }
    metrics.record(migration, observed, recording.status(), now);

    UpdateControl<SchemaMigration> control = UpdateControl.noUpdate();
    Duration requeue = decision.requeueAfter();
    if (MigrationObserver.holdsLease(decision.status().getPhase())
        && (requeue == null || requeue.compareTo(LEASE_UPKEEP) > 0)) {
      requeue = LEASE_UPKEEP; // a holder keeps renewing its lease, even while it waits for a person
    }
    return requeue == null ? control : control.rescheduleAfter(requeue);
  }

  /**
   * An exception in {@link #reconcile} becomes a condition with the error ({@link ReconcileErrors}),
   * besides the log line. A 409 Conflict is left alone: it is optimistic locking at work, and the
   * retry decides again from fresh data.
   */
  @Override
  public ErrorStatusUpdateControl<SchemaMigration> updateErrorStatus(
      SchemaMigration migration, Context<SchemaMigration> context, Exception e) {
    if (conflict(e)) {
      boolean lastAttempt = context.getRetryInfo().map(r -> r.isLastAttempt()).orElse(false);
      // After the last retry JOSDK would wait for the next event, and a migration queued for a
      // database whose lease was already given back gets none: look again shortly instead.
      return lastAttempt
          ? ErrorStatusUpdateControl.<SchemaMigration>noStatusUpdate().withNoRetry().rescheduleAfter(AFTER_CONFLICTS)
          : ErrorStatusUpdateControl.defaultErrorProcessing();
    }
    int attempt = context.getRetryInfo().map(r -> r.getAttemptCount() + 1).orElse(1);
    boolean retrying = context.getRetryInfo().map(r -> !r.isLastAttempt()).orElse(false);
    LOG.warn("{}: reconcile failed (attempt {})", id(migration), attempt, e);
    long generation = migration.getMetadata().getGeneration() == null ? 0 : migration.getMetadata().getGeneration();
    SchemaMigration copy = withStatus(migration,
        ReconcileErrors.status(migration.getStatus(), generation, e, attempt, retrying, clock.instant()));
    ErrorStatusUpdateControl<SchemaMigration> control = ErrorStatusUpdateControl.patchStatus(copy);
    // With retries left, JOSDK retries with backoff; after that, a migration is never left behind.
    return retrying ? control : control.withNoRetry().rescheduleAfter(AFTER_RETRIES);
  }

  /**
   * Whether the error is a 409 Conflict, also when JOSDK wrapped it: the status write's conflict
   * reaches us inside the OperatorException of {@code PrimaryUpdateAndCacheUtils} ("Exceeded maximum
   * (0) retry attempts").
   */
  static boolean conflict(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof KubernetesClientException k && k.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return true;
      }
    }
    return false;
  }

  /**
   * Deleting a migration rolls nothing back. Its finalizer holds the deletion while a Job of it runs
   * (keeping the lease renewed), so that no other migration gets the database while a runner may still
   * be at work; then the lease is released and garbage collection takes the ended Jobs.
   */
  @Override
  public DeleteControl cleanup(SchemaMigration migration, Context<SchemaMigration> context) {
    Instant now = clock.instant();
    List<String> active = new ActiveJobs(caches.jobs(), caches.runnerPods())
        .of(migration.getMetadata().getNamespace(), migration.getMetadata().getName());
    MigrationDecider.Deletion deletion = decider.onDeletion(Observation.nothing().withActiveJobs(active));
    LOG.info("{}: {}", id(migration), deletion.message());
    var database = migration.getSpec() == null ? null : migration.getSpec().getDatabase();
    if (!deletion.letGo()) {
      if (database != null && database.getName() != null && migration.getStatus() != null
          && MigrationObserver.holdsLease(migration.getStatus().getPhase())) {
        leases.take(migration, leases.read(migration.getMetadata().getNamespace(), database.getName(), now), now);
      }
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(deletion.recheck().toMillis());
    }
    leases.release(migration);
    return DeleteControl.defaultDelete();
  }

  /**
   * Takes or renews the database lease in the phases that hold it and gives it back at the end.
   *
   * @return false when the lease could not be taken: the decision must not be carried out
   */
  private boolean keepLease(SchemaMigration migration, Decision decision, Observation observed, Instant now) {
    Phase before = migration.getStatus() == null ? null : migration.getStatus().getPhase();
    Phase after = decision.status().getPhase();
    if (MigrationObserver.holdsLease(after)) {
      boolean taken = leases.take(migration, observed.lease(), now);
      if (!taken && !MigrationObserver.holdsLease(before)) {
        return false;
      }
      if (!taken) {
        LOG.warn("{}: could not renew the lease of its database; another writer changed it", id(migration));
      }
    } else if (after != null && after.isTerminal() && (before == null || !before.isTerminal())) {
      leases.release(migration);
    }
    return true;
  }

  private StepEffects act(SchemaMigration migration, Decision decision, Instant now, Context<SchemaMigration> context) {
    if (decision.action() instanceof Action.ClearAnnotation clear) {
      // Before the status that acts on it is written: should that write fail, the request is lost
      // (and asked again), never carried out twice.
      clearAnnotation(context, migration, clear.key());
    }
    if (decision.action() instanceof Action.StartStep start) {
      StepContext step = context(migration, decision.status(), start.step(), now);
      if (alreadyRunning(migration, start.step(), step.attempt())) {
        // The same attempt again: a flags step writes its flags after the reconcile that saved their
        // previous definitions, a migrate step creates its Job once its gate opens, a lost Job is
        // adopted or recreated. Nothing starts twice (Job names are deterministic); say what it is.
        LOG.debug("{}: continuing step {} (attempt {})", id(migration), start.step(), step.attempt());
      } else {
        LOG.info("{}: starting step {} (attempt {})", id(migration), start.step(), step.attempt());
      }
      return handlers.forStep(step.step()).start(step);
    }
    if (decision.action() instanceof Action.InspectScripts) {
      LOG.info("{}: inspecting the scripts image", id(migration));
      inspector.launch(migration);
      return StepEffects.NONE;
    }
    if (decision.action() instanceof Action.RepairStep repair) {
      StepContext step = context(migration, decision.status(), repair.step(), now);
      int attempt = decision.status().getRepair().getAttempts();
      LOG.info("{}: repairing step {} (attempt {})", id(migration), repair.step(), attempt);
      return handlers.forStep(step.step()).repair(step, attempt);
    }
    if (decision.action() instanceof Action.UndoStep undo) {
      StepContext step = context(migration, decision.status(), undo.step(), now);
      LOG.info("{}: undoing step {}", id(migration), undo.step());
      return handlers.forStep(step.step()).undo(step);
    }
    return StepEffects.NONE;
  }

  /** What an action started goes into status in the same write as the decision that caused it. */
  private static void remember(Decision decision, StepEffects effects) {
    SchemaMigrationStatus status = decision.status();
    if (effects.job() != null && decision.action() instanceof Action.RepairStep) {
      status.getRepair().setJob(effects.job());
    } else if (effects.job() != null) {
      String step = decision.action() instanceof Action.StartStep start ? start.step()
          : ((Action.UndoStep) decision.action()).step();
      status.getSteps().stream().filter(s -> s.getName().equals(step)).findFirst().ifPresent(s -> {
        if (decision.action() instanceof Action.UndoStep) {
          s.setUndoJob(effects.job());
        } else {
          s.setJob(effects.job());
        }
      });
    }
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

  /** Removes an annotation; the status written next builds on the resource version this creates. */
  private static void clearAnnotation(Context<SchemaMigration> context, SchemaMigration migration, String key) {
    Map<String, Object> annotations = new HashMap<>();
    annotations.put(key, null); // JSON merge patch: null removes the key
    SchemaMigration patched = context.getClient().resource(migration).patch(PatchContext.of(PatchType.JSON_MERGE),
        Serialization.asJson(Map.of("metadata", Map.of("annotations", annotations))));
    migration.getMetadata().setResourceVersion(patched.getMetadata().getResourceVersion());
  }

  private static StepContext context(
      SchemaMigration migration, SchemaMigrationStatus status, String name, Instant now) {
    Step spec = migration.getSpec().getSteps().stream()
        .filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
    StepStatus step = status.getSteps().stream()
        .filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
    return new StepContext(migration, spec, step, now);
  }

  /** Whether the status this reconcile started from already has this attempt of the step running. */
  private static boolean alreadyRunning(SchemaMigration migration, String step, int attempt) {
    return migration.getStatus() != null && migration.getStatus().getSteps() != null
        && migration.getStatus().getSteps().stream().anyMatch(s -> s.getName().equals(step)
            && s.getState() == StepState.Running
            && s.getAttempts() != null && s.getAttempts() == attempt);
  }

  private static String id(SchemaMigration migration) {
    return migration.getMetadata().getNamespace() + "/" + migration.getMetadata().getName();
  }
}
