package dev.lockstep.world.kubelet;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kubelet proper: runs every pod bound to the simulated node, once. It learns of pods from the
 * API (a pod the controllers made, or one left from a previous kubelet) and stops a pod's
 * containers when the pod is deleted.
 */
final class NodeRuntime implements AutoCloseable {

  private final Node node;
  private final Map<String, PodWorker> workers = new ConcurrentHashMap<>();
  private volatile boolean closed;

  NodeRuntime(Node node) {
    this.node = node;
  }

  /** A pod appeared or changed in the API. */
  synchronized void podSeen(Pod pod) {
    if (closed || !SimulatedKubelet.NODE_NAME.equals(pod.getSpec().getNodeName())) {
      return;
    }
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      terminating(pod);
      return;
    }
    if (workers.containsKey(pod.getMetadata().getUid())) {
      return;
    }
    String phase = WorkloadPods.phase(pod);
    if (phase.equals("Succeeded") || phase.equals("Failed")) {
      return;
    }
    boolean startedElsewhere = phase.equals("Running");
    boolean restartAlways =
        pod.getSpec().getRestartPolicy() == null || "Always".equals(pod.getSpec().getRestartPolicy());
    if (startedElsewhere && !restartAlways) {
      // A run-to-completion pod a previous kubelet started: its process died with that kubelet. It
      // is never run twice; it fails as Kubernetes fails a pod whose container it lost track of.
      markContainersLost(pod);
      return;
    }
    int restarts = startedElsewhere ? restartCount(pod) + 1 : 0;
    PodWorker worker = new PodWorker(node, pod, restarts);
    workers.put(pod.getMetadata().getUid(), worker);
    worker.start();
  }

  synchronized void podDeleted(Pod pod) {
    PodWorker worker = workers.remove(pod.getMetadata().getUid());
    if (worker != null) {
      worker.killed();
    }
  }

  /**
   * A pod being deleted gracefully: its worker stops it (SIGTERM, then SIGKILL at the
   * deletionTimestamp) and removes it; a pod nothing runs here (it ended, or an earlier kubelet
   * ran it) is removed at once.
   */
  private void terminating(Pod pod) {
    PodWorker worker = workers.get(pod.getMetadata().getUid());
    if (worker != null) {
      worker.terminate(Timestamps.parse(pod.getMetadata().getDeletionTimestamp()));
      return;
    }
    String namespace = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    node.containers().execute(() -> {
      try {
        node.client().pods().inNamespace(namespace).withName(name).withGracePeriod(0).delete();
      } catch (RuntimeException e) {
        // the next update of the pod tries again
      }
    });
  }

  void configMapChanged(ConfigMap configMap) {
    String namespace = configMap.getMetadata().getNamespace();
    workers.values().forEach(w -> w.configMapChanged(namespace, configMap));
  }

  void readinessOverrideChanged(String namespace, String podName) {
    Pod pod = node.client().pods().inNamespace(namespace).withName(podName).get();
    if (pod != null) {
      PodWorker worker = workers.get(pod.getMetadata().getUid());
      if (worker != null) {
        worker.readinessOverrideChanged();
      }
    }
  }

  private void markContainersLost(Pod pod) {
    String now = Timestamps.now();
    StatusWriter.update(node.client(),
        node.client().pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()),
        stored -> {
          stored.getStatus().setPhase("Failed");
          for (ContainerStatus container : stored.getStatus().getContainerStatuses()) {
            if (container.getState().getTerminated() == null) {
              String startedAt = container.getState().getRunning() == null
                  ? null : container.getState().getRunning().getStartedAt();
              container.setReady(false);
              container.setStarted(false);
              container.setState(new ContainerStateBuilder().withNewTerminated().withExitCode(137)
                  .withReason("ContainerStatusUnknown")
                  .withMessage("The container could not be located when the pod was terminated")
                  .withStartedAt(startedAt).withFinishedAt(now).endTerminated().build());
            }
          }
          stored.getStatus().getConditions().stream()
              .filter(c -> "Ready".equals(c.getType()) || "ContainersReady".equals(c.getType()))
              .forEach(c -> {
                c.setStatus("False");
                c.setReason("PodFailed");
                c.setLastTransitionTime(now);
              });
        });
  }

  private static int restartCount(Pod pod) {
    return pod.getStatus().getContainerStatuses() == null ? 0
        : pod.getStatus().getContainerStatuses().stream().mapToInt(ContainerStatus::getRestartCount).max().orElse(0);
  }

  @Override
  public synchronized void close() {
    closed = true;
    workers.values().forEach(PodWorker::stop);
    workers.clear();
  }
}
