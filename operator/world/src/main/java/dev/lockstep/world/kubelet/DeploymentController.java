package dev.lockstep.world.kubelet;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Deployment and ReplicaSet controllers in one: one ReplicaSet per pod template (named by its
 * {@code pod-template-hash}), pods owned by it. A template change rolls out by surge: the new pods
 * are all made at once and an old pod goes each time a new one is ready ({@code Recreate} deletes
 * the old pods first). Status and the {@code Available}/{@code Progressing} conditions follow the
 * real controller, {@code minReadySeconds} and {@code progressDeadlineSeconds} included.
 */
final class DeploymentController {

  static final String TEMPLATE_HASH = "pod-template-hash";
  private static final String REVISION = "deployment.kubernetes.io/revision";

  private final KubernetesClient client;

  DeploymentController(KubernetesClient client) {
    this.client = client;
  }

  void reconcile(String namespace, String name) {
    Deployment deployment = client.apps().deployments().inNamespace(namespace).withName(name).get();
    if (deployment == null || deployment.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    int replicas = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
    String hash = Names.hash(Serialization.asJson(deployment.getSpec().getTemplate()));
    List<ReplicaSet> replicaSets = replicaSets(deployment);
    if (replicaSets.stream().noneMatch(rs -> hash.equals(templateHash(rs)))) {
      createReplicaSet(deployment, hash, replicas, replicaSets);
      replicaSets = replicaSets(deployment);
    }
    ReplicaSet current = replicaSets.stream().filter(rs -> hash.equals(templateHash(rs))).findFirst().orElseThrow();

    List<Pod> pods = pods(deployment, replicaSets);
    List<Pod> newPods = pods.stream().filter(p -> hash.equals(label(p, TEMPLATE_HASH))).toList();
    List<Pod> oldPods = pods.stream().filter(p -> !hash.equals(label(p, TEMPLATE_HASH))).toList();
    boolean recreate = deployment.getSpec().getStrategy() != null
        && "Recreate".equals(deployment.getSpec().getStrategy().getType());
    if (recreate && !oldPods.isEmpty()) {
      oldPods.forEach(p -> client.resource(p).delete());
    } else {
      for (int i = newPods.size(); i < replicas; i++) {
        Pod pod = WorkloadPods.fromTemplate(current.getSpec().getTemplate(), namespace,
            Names.generated(current.getMetadata().getName()), Map.of(TEMPLATE_HASH, hash),
            WorkloadPods.controllerReference(current));
        pod.getMetadata().setGenerateName(current.getMetadata().getName() + "-");
        client.resource(pod).create();
      }
      deleteSurplus(newPods, replicas);
      int readyNew = (int) newPods.stream().filter(WorkloadPods::ready).count();
      deleteSurplus(oldPods, Math.max(0, replicas - readyNew));
    }

    List<Pod> now = pods(deployment, replicaSets);
    updateReplicaSets(replicaSets, current, replicas, now);
    writeStatus(deployment, replicas, hash, current.getMetadata().getName(), now);
  }

  private List<ReplicaSet> replicaSets(Deployment deployment) {
    String uid = deployment.getMetadata().getUid();
    return client.apps().replicaSets().inNamespace(deployment.getMetadata().getNamespace()).list().getItems()
        .stream()
        .filter(rs -> WorkloadPods.controller(rs).map(r -> uid.equals(r.getUid())).orElse(false))
        .toList();
  }

  private void createReplicaSet(Deployment deployment, String hash, int replicas, List<ReplicaSet> existing) {
    int revision = existing.stream().mapToInt(DeploymentController::revision).max().orElse(0) + 1;
    PodTemplateSpec template = new PodTemplateSpecBuilder(deployment.getSpec().getTemplate())
        .editOrNewMetadata().addToLabels(TEMPLATE_HASH, hash).endMetadata().build();
    Map<String, String> labels = new HashMap<>(template.getMetadata().getLabels());
    ReplicaSet replicaSet = new ReplicaSetBuilder()
        .withNewMetadata()
        .withName(deployment.getMetadata().getName() + "-" + hash)
        .withNamespace(deployment.getMetadata().getNamespace())
        .withLabels(labels)
        .addToAnnotations(REVISION, String.valueOf(revision))
        .withOwnerReferences(WorkloadPods.controllerReference(deployment))
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withMinReadySeconds(deployment.getSpec().getMinReadySeconds())
        .withSelector(new LabelSelectorBuilder(deployment.getSpec().getSelector())
            .addToMatchLabels(TEMPLATE_HASH, hash).build())
        .withTemplate(template)
        .endSpec()
        .build();
    client.resource(replicaSet).create();
  }

  private List<Pod> pods(Deployment deployment, List<ReplicaSet> replicaSets) {
    List<Pod> pods = new ArrayList<>();
    for (ReplicaSet replicaSet : replicaSets) {
      pods.addAll(WorkloadPods.owned(client, replicaSet, deployment.getSpec().getSelector()));
    }
    return pods;
  }

  /** Deletes pods beyond {@code keep}: unready ones first, then the newest, as the ReplicaSet controller does. */
  private void deleteSurplus(List<Pod> pods, int keep) {
    pods.stream()
        .sorted(Comparator.comparing(WorkloadPods::ready)
            .thenComparing((Pod p) -> p.getMetadata().getCreationTimestamp(), Comparator.reverseOrder()))
        .limit(Math.max(0, pods.size() - keep))
        .forEach(p -> client.resource(p).delete());
  }

  private void updateReplicaSets(List<ReplicaSet> replicaSets, ReplicaSet current, int replicas, List<Pod> pods) {
    for (ReplicaSet replicaSet : replicaSets) {
      String hash = templateHash(replicaSet);
      List<Pod> owned = pods.stream().filter(p -> hash.equals(label(p, TEMPLATE_HASH))).toList();
      int desired = replicaSet.getMetadata().getUid().equals(current.getMetadata().getUid()) ? replicas : owned.size();
      if (!Objects.equals(replicaSet.getSpec().getReplicas(), desired)) {
        client.apps().replicaSets().resource(replicaSet).edit(rs -> {
          rs.getSpec().setReplicas(desired);
          return rs;
        });
      }
      int ready = (int) owned.stream().filter(WorkloadPods::ready).count();
      StatusWriter.update(client, client.apps().replicaSets().inNamespace(replicaSet.getMetadata().getNamespace())
          .withName(replicaSet.getMetadata().getName()), rs -> {
            if (rs.getStatus() == null) {
              rs.setStatus(new ReplicaSetStatus());
            }
            rs.getStatus().setReplicas(owned.size());
            rs.getStatus().setFullyLabeledReplicas(WorkloadPods.omitZero(owned.size()));
            rs.getStatus().setReadyReplicas(WorkloadPods.omitZero(ready));
            rs.getStatus().setAvailableReplicas(WorkloadPods.omitZero(ready));
            rs.getStatus().setObservedGeneration(rs.getMetadata().getGeneration());
          });
    }
  }

  private void writeStatus(Deployment deployment, int replicas, String hash, String replicaSet, List<Pod> pods) {
    Instant now = Instant.now();
    int minReady = deployment.getSpec().getMinReadySeconds() == null ? 0 : deployment.getSpec().getMinReadySeconds();
    int updated = (int) pods.stream().filter(p -> hash.equals(label(p, TEMPLATE_HASH))).count();
    int ready = (int) pods.stream().filter(WorkloadPods::ready).count();
    int available = (int) pods.stream().filter(p -> WorkloadPods.available(p, minReady, now)).count();
    boolean complete = updated == replicas && pods.size() == replicas && available == replicas;
    boolean minimumAvailable = available >= replicas - maxUnavailable(deployment, replicas);
    StatusWriter.update(client, client.apps().deployments().inNamespace(deployment.getMetadata().getNamespace())
        .withName(deployment.getMetadata().getName()), stored -> {
          DeploymentStatus status = stored.getStatus() == null ? new DeploymentStatus() : stored.getStatus();
          boolean progressed = !Objects.equals(status.getUpdatedReplicas(), WorkloadPods.omitZero(updated))
              || !Objects.equals(status.getAvailableReplicas(), WorkloadPods.omitZero(available))
              || !Objects.equals(status.getReplicas(), WorkloadPods.omitZero(pods.size()));
          status.setObservedGeneration(stored.getMetadata().getGeneration());
          status.setReplicas(WorkloadPods.omitZero(pods.size()));
          status.setUpdatedReplicas(WorkloadPods.omitZero(updated));
          status.setReadyReplicas(WorkloadPods.omitZero(ready));
          status.setAvailableReplicas(WorkloadPods.omitZero(available));
          int unavailable = Math.max(0, Math.max(replicas, pods.size()) - available);
          status.setUnavailableReplicas(WorkloadPods.omitZero(unavailable));
          List<DeploymentCondition> conditions =
              new ArrayList<>(status.getConditions() == null ? List.of() : status.getConditions());
          set(conditions, "Available", minimumAvailable,
              minimumAvailable ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
              minimumAvailable
                  ? "Deployment has minimum availability."
                  : "Deployment does not have minimum availability.",
              false);
          DeploymentCondition progressing = find(conditions, "Progressing");
          if (complete) {
            set(conditions, "Progressing", true, "NewReplicaSetAvailable",
                "ReplicaSet \"" + replicaSet + "\" has successfully progressed.", false);
          } else if (!progressed && progressing != null && stalled(deployment, progressing, now)) {
            set(conditions, "Progressing", false, "ProgressDeadlineExceeded",
                "ReplicaSet \"" + replicaSet + "\" has timed out progressing.", false);
          } else if (progressed || progressing == null || !"ProgressDeadlineExceeded".equals(progressing.getReason())) {
            set(conditions, "Progressing", true, "ReplicaSetUpdated",
                "ReplicaSet \"" + replicaSet + "\" is progressing.", progressed);
          }
          status.setConditions(conditions);
          stored.setStatus(status);
        });
  }

  private static boolean stalled(Deployment deployment, DeploymentCondition progressing, Instant now) {
    Integer deadline = deployment.getSpec().getProgressDeadlineSeconds();
    int seconds = deadline == null ? 600 : deadline;
    return "ReplicaSetUpdated".equals(progressing.getReason()) && progressing.getLastUpdateTime() != null
        && Timestamps.parse(progressing.getLastUpdateTime()).plusSeconds(seconds).isBefore(now);
  }

  /** Sets a condition; its times move only when something about it changes, or when {@code touch}. */
  private static void set(List<DeploymentCondition> conditions, String type, boolean value, String reason,
      String message, boolean touch) {
    DeploymentCondition existing = find(conditions, type);
    String status = value ? "True" : "False";
    String now = Timestamps.now();
    boolean same = existing != null && status.equals(existing.getStatus())
        && reason.equals(existing.getReason()) && message.equals(existing.getMessage());
    if (same && !touch) {
      return;
    }
    String transition =
        existing != null && status.equals(existing.getStatus()) ? existing.getLastTransitionTime() : now;
    DeploymentCondition next = new DeploymentConditionBuilder().withType(type).withStatus(status).withReason(reason)
        .withMessage(message).withLastUpdateTime(now).withLastTransitionTime(transition).build();
    if (existing == null) {
      conditions.add(next);
    } else {
      conditions.set(conditions.indexOf(existing), next);
    }
  }

  private static DeploymentCondition find(List<DeploymentCondition> conditions, String type) {
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  /** {@code maxUnavailable} of a rolling update (default 25%, rounded down); 0 for Recreate. */
  private static int maxUnavailable(Deployment deployment, int replicas) {
    if (deployment.getSpec().getStrategy() != null && "Recreate".equals(deployment.getSpec().getStrategy().getType())) {
      return 0;
    }
    IntOrString value = deployment.getSpec().getStrategy() == null
        || deployment.getSpec().getStrategy().getRollingUpdate() == null
        || deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable() == null
        ? new IntOrString("25%")
        : deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable();
    if (value.getIntVal() != null) {
      return value.getIntVal();
    }
    int percent = Integer.parseInt(value.getStrVal().replace("%", "").trim());
    return replicas * percent / 100;
  }

  private static String templateHash(ReplicaSet replicaSet) {
    Map<String, String> labels = replicaSet.getMetadata().getLabels();
    return labels == null ? null : labels.get(TEMPLATE_HASH);
  }

  private static int revision(ReplicaSet replicaSet) {
    Map<String, String> annotations = replicaSet.getMetadata().getAnnotations();
    try {
      return annotations == null ? 0 : Integer.parseInt(annotations.getOrDefault(REVISION, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String label(Pod pod, String key) {
    return pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(key);
  }
}
