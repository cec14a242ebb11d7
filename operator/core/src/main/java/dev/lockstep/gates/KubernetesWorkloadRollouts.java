package dev.lockstep.gates;

import dev.lockstep.api.Workload;
import dev.lockstep.api.WorkloadKind;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

/** Reads Deployments and StatefulSets from the informers' caches. */
public final class KubernetesWorkloadRollouts implements WorkloadRollouts {

  private final WorkloadCaches workloads;

  public KubernetesWorkloadRollouts(WorkloadCaches workloads) {
    this.workloads = workloads;
  }

  @Override
  public Rollout rollout(String namespace, Workload workload) {
    String label = workload.getKind() + "/" + workload.getName();
    if (workload.getKind() == WorkloadKind.StatefulSet) {
      StatefulSet set = workloads.statefulSets().get(namespace, workload.getName()).orElse(null);
      if (set == null) {
        return Rollout.missing(label);
      }
      var status = set.getStatus();
      return Rollout.of(
          label,
          generation(set.getMetadata().getGeneration()),
          status == null ? null : status.getObservedGeneration(),
          replicas(set.getSpec().getReplicas()),
          status == null ? null : status.getReplicas(),
          status == null ? null : status.getUpdatedReplicas(),
          status == null ? null : status.getReadyReplicas(),
          status == null ? null : status.getAvailableReplicas());
    }
    Deployment deployment = workloads.deployments().get(namespace, workload.getName()).orElse(null);
    if (deployment == null) {
      return Rollout.missing(label);
    }
    var status = deployment.getStatus();
    return Rollout.of(
        label,
        generation(deployment.getMetadata().getGeneration()),
        status == null ? null : status.getObservedGeneration(),
        replicas(deployment.getSpec().getReplicas()),
        status == null ? null : status.getReplicas(),
        status == null ? null : status.getUpdatedReplicas(),
        status == null ? null : status.getReadyReplicas(),
        status == null ? null : status.getAvailableReplicas());
  }

  private static long generation(Long generation) {
    return generation == null ? 0 : generation;
  }

  /** Kubernetes defaults {@code replicas} to 1. */
  private static int replicas(Integer replicas) {
    return replicas == null ? 1 : replicas;
  }
}
