package dev.lockstep.reconcile;

import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.Workload;
import dev.lockstep.api.WorkloadKind;
import dev.lockstep.cache.CachedResources;
import dev.lockstep.cache.ClusterCaches;
import dev.lockstep.gates.LabelSelectors;
import dev.lockstep.jobs.JobLabels;
import dev.lockstep.queue.KubernetesDatabaseLeases;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The informers of the controller: each one wakes the migrations a change concerns, and each one is
 * the cache its readers use instead of the API server ({@link ClusterCaches}).
 *
 * <p>What each informer holds, and why:
 *
 * <ul>
 *   <li>Jobs, runner pods and Leases: only what Lockstep made, selected server-side by
 *       {@code app.kubernetes.io/managed-by=lockstep}; their cost follows the migrations.
 *   <li>Deployments and StatefulSets: every one of the watched namespaces, since a migration may name
 *       any of them; an event wakes only the migrations that name it.
 *   <li>Workload pods: the API offers no label a pod of an arbitrary user workload is sure to carry,
 *       so no server-side selector can pick exactly the pods of declared workloads; the informer
 *       holds the watched namespaces' pods but runner pods (bound them with {@code --namespace}), and a pod event
 *       wakes only the active migrations whose declared workloads' selectors match the pod. The
 *       check reads two caches and costs no request, so an unrelated pod costs one map lookup per
 *       active migration of its namespace and no reconcile.
 * </ul>
 */
final class EventSources {

  static final String RUNNER_PODS = "runner-pods";
  static final String WORKLOAD_PODS = "workload-pods";
  /** Runner pods are in their own informer already. */
  static final String NOT_RUNNER_PODS = JobLabels.MANAGED_BY + "!=" + JobLabels.MANAGER;

  private EventSources() {}

  /** Makes the informers and binds {@code caches} to them. */
  static List<EventSource<?, SchemaMigration>> prepare(EventSourceContext<SchemaMigration> context, ClusterCaches caches) {
    caches.migrations().bindReadOnly(context.getPrimaryCache());
    CachedResources<SchemaMigration> migrations = caches.migrations();

    // Runner Jobs report back through watch events, mapped to their owner.
    var jobs = new InformerEventSource<>(InformerEventSourceConfiguration.from(Job.class, SchemaMigration.class)
        .withLabelSelector(JobLabels.SELECTOR)
        .build(), context);
    // A runner pod says why its Job is stuck (a missing Secret, an image that cannot be pulled).
    var runnerPods = new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, SchemaMigration.class)
        .withName(RUNNER_PODS)
        .withLabelSelector(JobLabels.SELECTOR)
        .withSecondaryToPrimaryMapper(EventSources::labelledMigration)
        .build(), context);
    // Gates and guards react to the application as it changes, not only when a timer fires.
    var deployments = workloadEvents(Deployment.class, WorkloadKind.Deployment, migrations, context);
    var statefulSets = workloadEvents(StatefulSet.class, WorkloadKind.StatefulSet, migrations, context);
    var workloadPods = new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, SchemaMigration.class)
        .withName(WORKLOAD_PODS)
        .withLabelSelector(NOT_RUNNER_PODS)
        .withSecondaryToPrimaryMapper(pod -> migrationsSelecting(pod, migrations, caches.deployments(),
            caches.statefulSets()))
        .build(), context);
    // A lease given back lets the next migration of its database go at once.
    var leases = new InformerEventSource<>(InformerEventSourceConfiguration.from(Lease.class, SchemaMigration.class)
        .withLabelSelector(KubernetesDatabaseLeases.SELECTOR)
        .withSecondaryToPrimaryMapper(lease -> waitingFor(lease, migrations))
        .build(), context);

    caches.jobs().bind(jobs);
    caches.runnerPods().bind(runnerPods);
    caches.deployments().bind(deployments);
    caches.statefulSets().bind(statefulSets);
    caches.workloadPods().bind(workloadPods);
    caches.leases().bind(leases);
    return List.of(jobs, runnerPods, deployments, statefulSets, workloadPods, leases);
  }

  private static <R extends HasMetadata> InformerEventSource<R, SchemaMigration> workloadEvents(
      Class<R> type, WorkloadKind kind, CachedResources<SchemaMigration> migrations,
      EventSourceContext<SchemaMigration> context) {
    return new InformerEventSource<>(InformerEventSourceConfiguration.from(type, SchemaMigration.class)
        .withSecondaryToPrimaryMapper(workload -> active(migrations, workload.getMetadata().getNamespace(),
            w -> w.getKind() == kind && workload.getMetadata().getName().equals(w.getName())))
        .build(), context);
  }

  /** The migration a runner pod's {@code lockstep.dev/migration} label names. */
  private static Set<ResourceID> labelledMigration(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    String migration = labels == null ? null : labels.get(JobLabels.MIGRATION);
    return migration == null ? Set.of() : Set.of(new ResourceID(migration, pod.getMetadata().getNamespace()));
  }

  /**
   * The active migrations of the pod's namespace that declare a workload whose selector (as the
   * workload cache has it) matches the pod: the pods a Service in front of the workload would pick.
   */
  static Set<ResourceID> migrationsSelecting(Pod pod, CachedResources<SchemaMigration> migrations,
      CachedResources<Deployment> deployments, CachedResources<StatefulSet> statefulSets) {
    String namespace = pod.getMetadata().getNamespace();
    Map<String, String> labels = pod.getMetadata().getLabels();
    if (labels == null || labels.isEmpty()) {
      return Set.of(); // no workload selector (which is never empty) matches a pod without labels
    }
    return active(migrations, namespace, w -> selector(deployments, statefulSets, namespace, w)
        .filter(s -> !LabelSelectors.empty(s) && LabelSelectors.matches(s, labels)).isPresent());
  }

  private static Optional<LabelSelector> selector(CachedResources<Deployment> deployments,
      CachedResources<StatefulSet> statefulSets, String namespace, Workload workload) {
    if (workload.getKind() == null || workload.getName() == null) {
      return Optional.empty();
    }
    return switch (workload.getKind()) {
      case Deployment -> deployments.get(namespace, workload.getName())
          .map(d -> d.getSpec() == null ? null : d.getSpec().getSelector());
      case StatefulSet -> statefulSets.get(namespace, workload.getName())
          .map(s -> s.getSpec() == null ? null : s.getSpec().getSelector());
    };
  }

  /** The migrations of {@code namespace} still at work that declare a workload matching {@code workload}. */
  private static Set<ResourceID> active(CachedResources<SchemaMigration> migrations, String namespace,
      Predicate<Workload> workload) {
    return migrations.list(namespace, m -> true).stream()
        .filter(m -> m.getSpec() != null && m.getSpec().getWorkloads() != null)
        .filter(m -> m.getStatus() != null && m.getStatus().getPhase() != null && !m.getStatus().getPhase().isTerminal())
        .filter(m -> m.getSpec().getWorkloads().stream().anyMatch(workload))
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  /** The migrations waiting in line for the database whose lease changed. */
  static Set<ResourceID> waitingFor(Lease lease, CachedResources<SchemaMigration> migrations) {
    return migrations.list(lease.getMetadata().getNamespace(), m -> true).stream()
        .filter(m -> m.getSpec() != null && m.getSpec().getDatabase() != null && m.getSpec().getDatabase().getName() != null)
        .filter(m -> KubernetesDatabaseLeases.leaseName(m.getSpec().getDatabase().getName())
            .equals(lease.getMetadata().getName()))
        .filter(m -> m.getStatus() == null || m.getStatus().getPhase() == null
            || m.getStatus().getPhase() == Phase.Pending || m.getStatus().getPhase() == Phase.Queued)
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }
}
