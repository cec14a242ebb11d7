package dev.lockstep.world.kubelet;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The StatefulSet controller: pods {@code <name>-0} to {@code <name>-(n-1)}, made in order, each
 * after the one before is ready ({@code OrderedReady}; all at once with {@code Parallel}), removed
 * from the highest ordinal down, and rolled from the highest ordinal down one at a time when the
 * template changes ({@code RollingUpdate} with {@code partition}; nothing with {@code OnDelete}).
 * Volume claim templates become per-pod claims whose directories survive the pod.
 */
final class StatefulSetController {

  static final String REVISION = "controller-revision-hash";
  private static final String POD_NAME = "statefulset.kubernetes.io/pod-name";
  private static final String POD_INDEX = "apps.kubernetes.io/pod-index";

  private final KubernetesClient client;

  StatefulSetController(KubernetesClient client) {
    this.client = client;
  }

  void reconcile(String namespace, String name) {
    StatefulSet set = client.apps().statefulSets().inNamespace(namespace).withName(name).get();
    if (set == null || set.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    int replicas = set.getSpec().getReplicas() == null ? 1 : set.getSpec().getReplicas();
    String revision = name + "-" + Names.hash(Serialization.asJson(set.getSpec().getTemplate()));
    boolean ordered = !"Parallel".equals(set.getSpec().getPodManagementPolicy());
    TreeMap<Integer, Pod> pods = byOrdinal(set);

    boolean changed = false;
    for (int ordinal = 0; ordinal < replicas; ordinal++) {
      Pod pod = pods.get(ordinal);
      if (pod == null) {
        client.resource(newPod(set, ordinal, revision)).create();
        changed = true;
        if (ordered) {
          break;
        }
      } else if (ordered && !WorkloadPods.ready(pod)) {
        break;
      }
    }
    List<Pod> condemned = pods.tailMap(replicas, true).descendingMap().values().stream().toList();
    boolean othersReady = pods.headMap(replicas, false).values().stream().allMatch(WorkloadPods::ready);
    if (!changed && !condemned.isEmpty()) {
      if (!ordered) {
        condemned.forEach(p -> client.resource(p).delete());
      } else if (othersReady) {
        client.resource(condemned.get(0)).delete();
      }
    } else if (!changed && rollingUpdate(set) && pods.size() == replicas && othersReady) {
      int partition = partition(set);
      pods.descendingMap().entrySet().stream()
          .filter(e -> e.getKey() >= partition && !revision.equals(label(e.getValue(), REVISION)))
          .findFirst()
          .ifPresent(e -> client.resource(e.getValue()).delete());
    }
    writeStatus(set, revision, byOrdinal(set));
  }

  private TreeMap<Integer, Pod> byOrdinal(StatefulSet set) {
    TreeMap<Integer, Pod> pods = new TreeMap<>();
    String prefix = set.getMetadata().getName() + "-";
    for (Pod pod : WorkloadPods.owned(client, set, set.getSpec().getSelector())) {
      String podName = pod.getMetadata().getName();
      if (podName.startsWith(prefix) && podName.substring(prefix.length()).matches("\\d+")) {
        pods.put(Integer.parseInt(podName.substring(prefix.length())), pod);
      }
    }
    return pods;
  }

  private Pod newPod(StatefulSet set, int ordinal, String revision) {
    String podName = set.getMetadata().getName() + "-" + ordinal;
    Pod pod = WorkloadPods.fromTemplate(set.getSpec().getTemplate(), set.getMetadata().getNamespace(), podName,
        Map.of(REVISION, revision, POD_NAME, podName, POD_INDEX, String.valueOf(ordinal)),
        WorkloadPods.controllerReference(set));
    PodBuilder builder = new PodBuilder(pod).editSpec().withHostname(podName)
        .withSubdomain(set.getSpec().getServiceName()).endSpec();
    List<PersistentVolumeClaim> claims =
        set.getSpec().getVolumeClaimTemplates() == null ? List.of() : set.getSpec().getVolumeClaimTemplates();
    for (PersistentVolumeClaim claim : claims) {
      String claimName = claim.getMetadata().getName() + "-" + podName;
      builder.editSpec().addToVolumes(new VolumeBuilder().withName(claim.getMetadata().getName())
          .withNewPersistentVolumeClaim().withClaimName(claimName).endPersistentVolumeClaim().build()).endSpec();
    }
    return builder.build();
  }

  private void writeStatus(StatefulSet set, String revision, TreeMap<Integer, Pod> pods) {
    int ready = (int) pods.values().stream().filter(WorkloadPods::ready).count();
    int minReady = set.getSpec().getMinReadySeconds() == null ? 0 : set.getSpec().getMinReadySeconds();
    Instant now = Instant.now();
    int available = (int) pods.values().stream().filter(p -> WorkloadPods.available(p, minReady, now)).count();
    int updated = (int) pods.values().stream().filter(p -> revision.equals(label(p, REVISION))).count();
    StatusWriter.update(client, client.apps().statefulSets().inNamespace(set.getMetadata().getNamespace())
        .withName(set.getMetadata().getName()), stored -> {
          StatefulSetStatus status = stored.getStatus() == null ? new StatefulSetStatus() : stored.getStatus();
          String current = status.getCurrentRevision() == null ? revision : status.getCurrentRevision();
          if (updated == pods.size()) {
            current = revision;
          }
          String currentRevision = current;
          int currentCount =
              (int) pods.values().stream().filter(p -> currentRevision.equals(label(p, REVISION))).count();
          status.setObservedGeneration(stored.getMetadata().getGeneration());
          status.setReplicas(pods.size());
          status.setReadyReplicas(WorkloadPods.omitZero(ready));
          status.setAvailableReplicas(available);
          status.setCurrentReplicas(WorkloadPods.omitZero(currentCount));
          status.setUpdatedReplicas(WorkloadPods.omitZero(updated));
          status.setCurrentRevision(currentRevision);
          status.setUpdateRevision(revision);
          status.setCollisionCount(0);
          stored.setStatus(status);
        });
  }

  private static boolean rollingUpdate(StatefulSet set) {
    return set.getSpec().getUpdateStrategy() == null
        || !"OnDelete".equals(set.getSpec().getUpdateStrategy().getType());
  }

  private static int partition(StatefulSet set) {
    if (set.getSpec().getUpdateStrategy() == null || set.getSpec().getUpdateStrategy().getRollingUpdate() == null) {
      return 0;
    }
    Integer partition = set.getSpec().getUpdateStrategy().getRollingUpdate().getPartition();
    return partition == null ? 0 : partition;
  }

  private static String label(Pod pod, String key) {
    return pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(key);
  }
}
