package dev.lockstep.cache;

import dev.lockstep.api.SchemaMigration;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;

/**
 * Every informer cache the operator reads instead of asking the API server, made empty when the
 * operator is assembled and bound when the reconciler registers its event sources. Secrets are not
 * here on purpose: caching them would need list/watch on every Secret; they are read with one GET
 * when validation needs them.
 *
 * @param migrations the controller's own SchemaMigrations (the queue looks at its neighbours)
 * @param jobs the runner Jobs, selected by the {@code app.kubernetes.io/managed-by=lockstep} label
 * @param runnerPods the pods of those Jobs, selected by the same label
 * @param workloadPods the pods the compatibility gate and guards ask
 * @param deployments the Deployments a migration may declare as workloads
 * @param statefulSets the StatefulSets a migration may declare as workloads
 * @param leases the database leases, selected by the same label
 */
public record ClusterCaches(
    InformerCache<SchemaMigration> migrations,
    InformerCache<Job> jobs,
    InformerCache<Pod> runnerPods,
    InformerCache<Pod> workloadPods,
    InformerCache<Deployment> deployments,
    InformerCache<StatefulSet> statefulSets,
    InformerCache<Lease> leases) {

  /** Unbound caches, for the reconciler to bind. */
  public static ClusterCaches unbound() {
    return new ClusterCaches(new InformerCache<>("SchemaMigration"), new InformerCache<>("Job"),
        new InformerCache<>("runner Pod"), new InformerCache<>("workload Pod"), new InformerCache<>("Deployment"),
        new InformerCache<>("StatefulSet"), new InformerCache<>("Lease"));
  }
}
