package dev.lockstep.world.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The status of one pod as its kubelet reports it: phase, addresses, the four standard conditions
 * and one status per container. The node keeps it and writes it whole to the pod's {@code /status}
 * (it is the only writer of a pod's status, as in a cluster).
 */
final class PodStatusRecorder {

  private final KubernetesClient client;
  private final Pod pod;
  private final BooleanSupplier forcedUnready;
  private final Map<String, ContainerStatus> initContainers = new LinkedHashMap<>();
  private final Map<String, ContainerStatus> containers = new LinkedHashMap<>();
  private final Map<String, PodCondition> conditions = new LinkedHashMap<>();
  private String phase = "Pending";
  private String podIp;
  private String startTime;
  private boolean finished;

  PodStatusRecorder(KubernetesClient client, Pod pod, BooleanSupplier forcedUnready) {
    this.client = client;
    this.pod = pod;
    this.forcedUnready = forcedUnready;
    for (Container c : list(pod.getSpec().getInitContainers())) {
      initContainers.put(c.getName(), status(c, waiting("PodInitializing", null), 0));
    }
    // As a real kubelet reports it: while init containers run (or cannot start), the others wait as PodInitializing.
    String starting = list(pod.getSpec().getInitContainers()).isEmpty()
        ? ContainerConfigException.CONTAINER_CREATING : "PodInitializing";
    for (Container c : list(pod.getSpec().getContainers())) {
      containers.put(c.getName(), status(c, waiting(starting, null), 0));
    }
  }

  /** The pod is bound to the node and has its address; containers are being created. */
  synchronized void scheduled(String address, int restartCount) {
    podIp = address;
    startTime = Timestamps.now();
    containers.replaceAll((name, s) -> withRestarts(s, restartCount));
    condition("PodScheduled", true, null, null);
  }

  synchronized void waiting(String container, String reason, String message) {
    replace(container, waiting(reason, message), false);
  }

  synchronized void running(String container, String startedAt, boolean ready) {
    ContainerState running =
        new ContainerStateBuilder().withNewRunning().withStartedAt(startedAt).endRunning().build();
    replace(container, running, ready);
    if (containers.containsKey(container)) {
      phase = "Running";
    }
  }

  synchronized void ready(String container, boolean ready) {
    ContainerStatus status = containers.get(container);
    if (status != null && status.getState().getRunning() != null) {
      status.setReady(ready);
    }
  }

  synchronized void terminated(
      String container, int exitCode, String reason, String message, String startedAt, String finishedAt) {
    ContainerState state =
        new ContainerStateBuilder()
            .withNewTerminated()
            .withExitCode(exitCode)
            .withReason(reason)
            .withMessage(message == null || message.isEmpty() ? null : message)
            .withStartedAt(startedAt)
            .withFinishedAt(finishedAt)
            .withContainerID(containerId(container))
            .endTerminated()
            .build();
    replace(container, state, false);
  }

  /** The pod ran to its end: Succeeded or Failed. */
  synchronized void finished(String finalPhase) {
    phase = finalPhase;
    finished = true;
  }

  synchronized boolean isFinished() {
    return finished;
  }

  /** Writes the status as it is now to the API. */
  synchronized void publish() {
    PodStatus status = snapshot();
    StatusWriter.update(
        client,
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()),
        stored -> stored.setStatus(status));
  }

  /** The status to write: conditions are derived here from the containers' states. */
  private synchronized PodStatus snapshot() {
    boolean initialized =
        initContainers.values().stream().allMatch(s -> s.getState().getTerminated() != null
            && s.getState().getTerminated().getExitCode() == 0);
    List<String> unready =
        containers.values().stream().filter(s -> !s.getReady()).map(ContainerStatus::getName).toList();
    List<String> uninitialized = initContainers.values().stream()
        .filter(s -> s.getState().getTerminated() == null || s.getState().getTerminated().getExitCode() != 0)
        .map(ContainerStatus::getName).toList();
    String notReadyReason = finished ? "PodCompleted" : "ContainersNotReady";
    String notReadyMessage = finished ? null : "containers with unready status: " + unready;
    condition("Initialized", initialized, initialized ? null : "ContainersNotInitialized",
        initialized ? null : "containers with incomplete status: " + uninitialized);
    condition("ContainersReady", unready.isEmpty(), notReadyReason, notReadyMessage);
    boolean ready = unready.isEmpty() && !forcedUnready.getAsBoolean();
    condition("Ready", ready, unready.isEmpty() ? "MarkedUnready" : notReadyReason,
        unready.isEmpty() ? "the test world marked the pod unready" : notReadyMessage);
    PodStatus status = new PodStatus();
    status.setPhase(phase);
    status.setHostIP(SimulatedKubelet.NODE_IP);
    status.setPodIP(podIp);
    if (podIp != null) {
      status.setPodIPs(List.of(new PodIP(podIp)));
      status.setHostIPs(List.of(new HostIP(SimulatedKubelet.NODE_IP)));
    }
    status.setStartTime(startTime);
    status.setQosClass("BestEffort");
    status.setConditions(new ArrayList<>(conditions.values()));
    status.setInitContainerStatuses(initContainers.isEmpty() ? null : copies(initContainers));
    status.setContainerStatuses(copies(containers));
    return status;
  }

  private void condition(String type, boolean value, String reasonIfFalse, String messageIfFalse) {
    String wanted = value ? "True" : "False";
    PodCondition existing = conditions.get(type);
    String transition =
        existing != null && wanted.equals(existing.getStatus()) ? existing.getLastTransitionTime() : Timestamps.now();
    conditions.put(type, new PodConditionBuilder()
        .withType(type)
        .withStatus(wanted)
        .withReason(value ? null : reasonIfFalse)
        .withMessage(value ? null : messageIfFalse)
        .withLastTransitionTime(transition)
        .build());
  }

  private void replace(String container, ContainerState state, boolean ready) {
    Map<String, ContainerStatus> owner = initContainers.containsKey(container) ? initContainers : containers;
    ContainerStatus previous = owner.get(container);
    ContainerStatus next = new ContainerStatusBuilder(previous)
        .withState(state)
        .withReady(ready)
        .withStarted(state.getRunning() != null)
        .withContainerID(state.getWaiting() == null ? containerId(container) : previous.getContainerID())
        .build();
    owner.put(container, next);
  }

  private ContainerStatus status(Container container, ContainerState state, int restarts) {
    return new ContainerStatusBuilder()
        .withName(container.getName())
        .withImage(container.getImage())
        .withImageID("")
        .withReady(false)
        .withStarted(false)
        .withRestartCount(restarts)
        .withState(state)
        .build();
  }

  private static ContainerStatus withRestarts(ContainerStatus status, int restarts) {
    return new ContainerStatusBuilder(status).withRestartCount(restarts).build();
  }

  private String containerId(String container) {
    return "world://" + pod.getMetadata().getUid() + "/" + container;
  }

  private static ContainerState waiting(String reason, String message) {
    return new ContainerStateBuilder().withNewWaiting().withReason(reason).withMessage(message).endWaiting().build();
  }

  private static List<ContainerStatus> copies(Map<String, ContainerStatus> statuses) {
    return statuses.values().stream().map(s -> new ContainerStatusBuilder(s).build()).toList();
  }

  private static <T> List<T> list(List<T> list) {
    return list == null ? List.of() : list;
  }
}
