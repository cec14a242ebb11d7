package dev.lockstep.reconcile;

import dev.lockstep.cache.ClusterCaches;
import dev.lockstep.events.KubernetesEventRecorder;
import dev.lockstep.flags.Decommissioner;
import dev.lockstep.flags.FlagFlipper;
import dev.lockstep.gates.GuardChecks;
import dev.lockstep.gates.HttpPrometheusQuery;
import dev.lockstep.gates.KubernetesWorkloadCompatibility;
import dev.lockstep.gates.KubernetesWorkloadRollouts;
import dev.lockstep.gates.WorkloadCaches;
import dev.lockstep.jobs.DatabaseBackfillProgress;
import dev.lockstep.jobs.ActiveJobs;
import dev.lockstep.jobs.KubernetesJobLauncher;
import dev.lockstep.queue.KubernetesDatabaseLeases;
import dev.lockstep.queue.QueueObserver;
import dev.lockstep.jobs.RunnerJobFactory;
import dev.lockstep.scripts.KubernetesScriptCatalog;
import dev.lockstep.steps.BackfillStepHandler;
import dev.lockstep.steps.FlagsStepHandler;
import dev.lockstep.steps.MigrateStepHandler;
import dev.lockstep.steps.StepHandler;
import dev.lockstep.steps.StepHandlers;
import dev.lockstep.steps.WaitStepHandler;
import dev.lockstep.validate.Feature;
import dev.lockstep.validate.SpecValidator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Assembles the operator: the step handlers, the reconciler and JOSDK, against one Kubernetes
 * client. The same assembly runs in a cluster ({@code lockstep operator}) and in a rehearsal.
 */
public final class LockstepOperator implements AutoCloseable {

  /**
   * What this build implements: everything the API has. The validator refuses a resource that uses a
   * feature outside this set with a message that says so, never ignoring it.
   */
  public static final Set<Feature> FEATURES = EnumSet.allOf(Feature.class);

  private final Operator operator;

  /**
   * @param client the API server to work against
   * @param settings runner image, namespaces and concurrency
   */
  public LockstepOperator(KubernetesClient client, OperatorSettings settings) {
    this(client, settings, Clock.systemUTC());
  }

  public LockstepOperator(KubernetesClient client, OperatorSettings settings, Clock clock) {
    this(client, settings, clock, List.of());
  }

  /**
   * @param moreKinds step kinds beyond the built-in four, each one handler: how a new kind is plugged
   *     in (the tests register one the engine has never seen)
   */
  public LockstepOperator(KubernetesClient client, OperatorSettings settings, Clock clock,
      List<? extends StepHandler> moreKinds) {
    // Reads come from the informers the reconciler registers; the client only writes (and reads Secrets).
    var caches = ClusterCaches.unbound();
    var jobs = new KubernetesJobLauncher(client, new RunnerJobFactory(settings.runnerImage(), settings.serviceAccount()),
        caches.jobs(), caches.runnerPods());
    var scripts = new KubernetesScriptCatalog(client);
    var workloads = new WorkloadCaches(caches.deployments(), caches.statefulSets(), caches.workloadPods());
    var rollouts = new KubernetesWorkloadRollouts(workloads);
    var compatibility = new KubernetesWorkloadCompatibility(workloads);
    var prometheus = new HttpPrometheusQuery();
    List<StepHandler> kinds = new ArrayList<>(List.of(
        new MigrateStepHandler(jobs, scripts, compatibility),
        new WaitStepHandler(rollouts, compatibility, prometheus),
        new FlagsStepHandler(client, new FlagFlipper()),
        new BackfillStepHandler(jobs, new DatabaseBackfillProgress(client))));
    kinds.addAll(moreKinds);
    var handlers = new StepHandlers(kinds);
    var leases = new KubernetesDatabaseLeases(client, caches.leases());
    var reconciler = new SchemaMigrationReconciler(
        new MigrationObserver(client, scripts, new SpecValidator(FEATURES, handlers.validators()), handlers,
            new QueueObserver(caches.migrations(), leases), leases, new GuardChecks(rollouts, compatibility, prometheus),
            new ActiveJobs(caches.jobs(), caches.runnerPods())),
        new MigrationDecider(FEATURES.contains(Feature.ROLLBACK), handlers),
        handlers,
        new KubernetesEventRecorder(client, settings.instance()),
        new Decommissioner(client),
        leases,
        caches,
        clock);
    this.operator = new Operator(o -> o
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

  public void start() {
    operator.start();
  }

  @Override
  public void close() {
    operator.stop();
  }
}
