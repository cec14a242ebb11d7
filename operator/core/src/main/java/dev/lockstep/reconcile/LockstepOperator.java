package dev.lockstep.reconcile;

import dev.lockstep.cache.ClusterCaches;
import dev.lockstep.events.KubernetesEventRecorder;
import dev.lockstep.flags.Decommissioner;
import dev.lockstep.flags.FlagFlipper;
import dev.lockstep.flags.FlagSources;
import dev.lockstep.gates.GuardChecks;
import dev.lockstep.gates.HttpPrometheusQuery;
import dev.lockstep.gates.KubernetesWorkloadCompatibility;
import dev.lockstep.gates.KubernetesWorkloadRollouts;
import dev.lockstep.gates.WorkloadCaches;
import dev.lockstep.jobs.HttpBackfillProgress;
import dev.lockstep.jobs.ActiveJobs;
import dev.lockstep.jobs.KubernetesJobEvents;
import dev.lockstep.jobs.KubernetesJobLauncher;
import dev.lockstep.queue.KubernetesDatabaseLeases;
import dev.lockstep.queue.QueueObserver;
import dev.lockstep.jobs.RunnerJobFactory;
import dev.lockstep.scripts.JobScriptsInspector;
import dev.lockstep.scripts.KubernetesScriptCatalog;
import dev.lockstep.steps.BackfillStepHandler;
import dev.lockstep.steps.FlagsStepHandler;
import dev.lockstep.steps.MigrateStepHandler;
import dev.lockstep.steps.StepHandler;
import dev.lockstep.steps.StepHandlers;
import dev.lockstep.steps.WaitStepHandler;
import dev.lockstep.validate.SpecValidator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import dev.lockstep.metrics.MicrometerMigrationMetrics;
import dev.lockstep.metrics.MigrationMetrics;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.monitoring.AggregatedMetrics;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.List;

/**
 * Assembles the operator: the step handlers, the reconciler and JOSDK, against one Kubernetes
 * client. The same assembly runs in a cluster ({@code lockstep operator}) and in a rehearsal.
 */
public final class LockstepOperator implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LockstepOperator.class);

  private final Operator operator;
  private final AtomicBoolean leading = new AtomicBoolean();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final MigrationMetrics migrationMetrics;
  private final KubernetesClient client;
  private final Optional<LeaderElection> election;

  /**
   * @param client the API server to work against
   * @param settings runner image, namespaces and concurrency
   */
  public LockstepOperator(KubernetesClient client, OperatorSettings settings) {
    this(client, settings, Clock.systemUTC());
  }

  public LockstepOperator(KubernetesClient client, OperatorSettings settings, Clock clock) {
    this(client, settings, clock, OperatorRuntime.alone(), List.of());
  }

  /** @param runtime leader election, the metrics registry and what to do on lost leadership */
  public LockstepOperator(KubernetesClient client, OperatorSettings settings, Clock clock, OperatorRuntime runtime) {
    this(client, settings, clock, runtime, List.of());
  }

  /**
   * @param runtime leader election, the metrics registry and what to do on lost leadership
   * @param moreKinds step kinds beyond the built-in four, each one handler: how a new kind is plugged
   *     in (the tests register one the engine has never seen)
   */
  public LockstepOperator(KubernetesClient client, OperatorSettings settings, Clock clock, OperatorRuntime runtime,
      List<? extends StepHandler> moreKinds) {
    this.client = client;
    this.election = runtime.leaderElection();
    this.migrationMetrics = runtime.registry().<MigrationMetrics>map(MicrometerMigrationMetrics::new)
        .orElse(MigrationMetrics.NONE);
    StatusMetrics statusMetrics = new StatusMetrics(migrationMetrics);
    // Reads come from the informers the reconciler registers; the client only writes (and reads Secrets).
    var caches = ClusterCaches.unbound();
    var jobs = new KubernetesJobLauncher(client, new RunnerJobFactory(settings.runnerImage(), settings.serviceAccount(),
        settings.runnerPods()), caches.jobs(), caches.runnerPods(), new KubernetesJobEvents(client), clock);
    var scripts = new KubernetesScriptCatalog(client);
    var inspector = new JobScriptsInspector(jobs);
    var workloads = new WorkloadCaches(caches.deployments(), caches.statefulSets(), caches.workloadPods());
    var rollouts = new KubernetesWorkloadRollouts(workloads);
    var compatibility = new KubernetesWorkloadCompatibility(workloads);
    var prometheus = new HttpPrometheusQuery();
    List<StepHandler> kinds = new ArrayList<>(List.of(
        new MigrateStepHandler(jobs, scripts, compatibility),
        new WaitStepHandler(rollouts, compatibility, prometheus),
        new FlagsStepHandler(FlagSources.in(client), new FlagFlipper()),
        new BackfillStepHandler(jobs, new HttpBackfillProgress(caches.runnerPods()))));
    kinds.addAll(moreKinds);
    var handlers = new StepHandlers(kinds);
    var leases = new KubernetesDatabaseLeases(client, caches.leases());
    var reconciler = new SchemaMigrationReconciler(
        new MigrationObserver(client, scripts, new SpecValidator(handlers.validators()), handlers,
            new QueueObserver(caches.migrations(), leases), leases, new GuardChecks(rollouts, compatibility, prometheus),
            new ActiveJobs(caches.jobs(), caches.runnerPods()), inspector),
        new MigrationDecider(true, handlers),
        handlers,
        new KubernetesEventRecorder(client, settings.instance()),
        new Decommissioner(client),
        leases,
        caches,
        clock,
        statusMetrics,
        inspector);
    this.operator = new Operator(o -> o
        .withMetrics(metrics(runtime, statusMetrics))
        .withLeaderElectionConfiguration(runtime.leaderElection()
            .map(le -> leaderElection(le, runtime.onLostLeadership())).orElse(null))
        .withKubernetesClient(client)
        .withCloseClientOnStop(false)
        .withConcurrentReconciliationThreads(settings.reconcileThreads())
        // Plain updates and merge patches only: server-side apply is not available everywhere
        // (the in-process test API server, for one) and status has a single writer anyway.
        .withUseSSAToPatchPrimaryResource(false)
        .withSSABasedCreateUpdateMatchForDependentResources(false));
    operator.register(reconciler, c -> {
      if (!settings.namespaces().isEmpty()) {
        c.settingNamespaces(settings.namespaces());
      }
    });
  }

  /** JOSDK's controller metrics next to Lockstep's; a deleted migration's series go with it. */
  private static Metrics metrics(OperatorRuntime runtime, StatusMetrics statusMetrics) {
    Metrics forget = new Metrics() {
      @Override
      public void cleanupDoneFor(ResourceID id, Map<String, Object> metadata) {
        statusMetrics.forget(id.getNamespace().orElse(""), id.getName());
      }
    };
    return runtime.registry()
        .<Metrics>map(registry -> new AggregatedMetrics(List.of(
            MicrometerMetrics.newMicrometerMetricsBuilder(registry).notCollectingMetricsPerResource().build(), forget)))
        .orElse(forget);
  }

  private LeaderElectionConfiguration leaderElection(LeaderElection le, Runnable onLostLeadership) {
    LeaderCallbacks callbacks = new LeaderCallbacks(
        () -> {
          LOG.info("{} leads (Lease {}/{})", le.identity(), le.leaseNamespace(), le.leaseName());
          leading.set(true);
          migrationMetrics.leading(true);
        },
        () -> {
          leading.set(false);
          migrationMetrics.leading(false);
          if (!closing.get()) {
            LOG.error("{} lost the Lease {}/{}; it stops reconciling", le.identity(), le.leaseNamespace(), le.leaseName());
            onLostLeadership.run();
          }
        },
        leader -> LOG.info("Lease {}/{} is held by {}", le.leaseNamespace(), le.leaseName(), leader));
    // exitOnStopLeading false: JOSDK would call System.exit from whichever thread cancels the
    // election, the shutdown hook's included (where exit blocks forever); onLostLeadership decides.
    return new LeaderElectionConfiguration(le.leaseName(), le.leaseNamespace(), le.leaseDuration(),
        le.renewDeadline(), le.retryPeriod(), le.identity(), callbacks, false);
  }

  public void start() {
    operator.start();
    if (operator.getConfigurationService().getLeaderElectionConfiguration().isEmpty()) {
      leading.set(true);
      migrationMetrics.leading(true);
    }
  }

  /** Whether this instance reconciles now: it holds the Lease, or runs without leader election. */
  public boolean leading() {
    return leading.get();
  }

  /** Started, and every informer synced and watching: what /readyz and /healthz report. */
  public State state() {
    RuntimeInfo info = operator.getRuntimeInfo();
    boolean started = info.isStarted();
    boolean healthy = started && info.allEventSourcesAreHealthy();
    String detail = !started ? "not started"
        : healthy ? "informers synced" : "unhealthy event sources: " + info.unhealthyEventSources().keySet();
    return new State(started, healthy, leading.get(), detail);
  }

  /**
   * The operator's state for probes.
   *
   * @param started the operator started (its informers were started)
   * @param informersHealthy every informer synced and is watching
   * @param leading this instance reconciles now
   * @param detail a sentence for the probe's body
   */
  public record State(boolean started, boolean informersHealthy, boolean leading, String detail) {}

  @Override
  public void close() {
    closing.set(true);
    operator.stop();
    // Only once reconciling has stopped, so the next leader never reconciles beside this one; a
    // standby then takes over at its next retry instead of when the lease would have expired.
    election.ifPresent(le -> {
      if (LeaseRelease.release(client, le)) {
        LOG.info("{} released the Lease {}/{}", le.identity(), le.leaseNamespace(), le.leaseName());
      }
    });
  }
}
