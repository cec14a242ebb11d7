package dev.lockstep.world.kubelet;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.time.Instant;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.ScheduledFuture;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one pod on the simulated node, as the kubelet would: binds an address, mounts volumes,
 * resolves env, runs init containers, then either runs the containers to completion (restartPolicy
 * Never or OnFailure: a Job's pod) or starts their processes and probes their readiness
 * (restartPolicy Always: a workload's pod). Reports every step in the pod's status.
 */
final class PodWorker {

  private static final Logger LOG = LoggerFactory.getLogger(PodWorker.class);
  /** How often a container that cannot start yet (missing Secret, unknown image) is retried. */
  private static final long RETRY_MILLIS = 1000;

  private final Node node;
  private final Pod pod;
  private final String namespace;
  private final String name;
  private final int restartCount;
  private final PodStatusRecorder status;
  private final Path directory;
  private final List<PodProcess> processes = new CopyOnWriteArrayList<>();
  private final List<ScheduledFuture<?>> probes = new CopyOnWriteArrayList<>();
  private volatile boolean stopped;
  /** The pod's end (or its kill) is in its status: nothing more is reported. */
  private boolean reported;
  private final CountDownLatch ended = new CountDownLatch(1);
  private final AtomicBoolean terminating = new AtomicBoolean();
  /** When a graceful deletion turns into SIGKILL: the pod's deletionTimestamp, brought forward by a shorter grace. */
  private volatile Instant killAt;
  private volatile ContainerSandbox current;
  private volatile String currentStartedAt;
  private volatile Thread thread;
  private volatile PodVolumes volumes;
  private volatile String address;

  PodWorker(Node node, Pod pod, int restartCount) {
    this.node = node;
    this.pod = pod;
    this.namespace = pod.getMetadata().getNamespace();
    this.name = pod.getMetadata().getName();
    this.restartCount = restartCount;
    this.status = new PodStatusRecorder(node.client(), pod, () -> node.faults().forcedUnready(namespace, name));
    this.directory = node.podsDirectory().resolve(pod.getMetadata().getUid());
  }

  void start() {
    node.containers().execute(this::run);
  }

  /** The node shuts down (a kubelet restart): stop the containers; the pod stays in the API as it was. */
  void stop() {
    stopped = true;
    Thread running = thread;
    if (running != null) {
      // An in-process container may not stop when interrupted; its result is ignored from now on.
      running.interrupt();
    }
    stopContainers();
    release();
  }

  /** The pod is gone from the API while its container may still run (deleted with no grace): SIGKILL. */
  void killed() {
    kill();
    stopContainers();
    release();
  }

  /**
   * The pod is being deleted ({@code deletionTimestamp} set): as the kubelet does, SIGTERM to the
   * container, up to {@code killAt} for it to exit, then SIGKILL; then the pod is removed from the
   * API. A later call with an earlier time (a shorter grace period) brings the kill forward.
   */
  void terminate(Instant killAt) {
    synchronized (this) {
      if (this.killAt == null || killAt.isBefore(this.killAt)) {
        this.killAt = killAt;
      }
    }
    if (terminating.compareAndSet(false, true)) {
      node.containers().execute(this::terminateNow);
    }
  }

  private void terminateNow() {
    if ("Always".equals(restartPolicy())) {
      // A workload's processes stand for applications that exit at once on SIGTERM; they are closed
      // when the pod is gone (a finalizer may keep it terminating, and serving, a while longer).
    } else {
      ContainerSandbox sandbox = current;
      if (sandbox != null) {
        sandbox.termination().request(); // SIGTERM
      }
      try {
        while (!ended.await(50, TimeUnit.MILLISECONDS)) {
          if (sandbox == null || !Instant.now().isBefore(killAt)) {
            kill(); // SIGKILL: the grace period is over, or no container was running to be told
            break;
          }
        }
      } catch (InterruptedException e) {
        kill(); // the node shuts down
        Thread.currentThread().interrupt();
      }
      stopContainers();
      release();
    }
    try {
      node.client().pods().inNamespace(namespace).withName(name).withGracePeriod(0).delete();
    } catch (RuntimeException e) {
      LOG.warn("pod {}/{}: removing it after its containers stopped failed: {}", namespace, name, e.toString());
    }
  }

  /**
   * SIGKILL of a run-to-completion container: its thread is abandoned (its later output is never
   * reported), what it holds outside the JVM is ended ({@link ImageCatalog#onKill}), and the pod
   * reports it as a killed process: exit code 137, no termination message.
   */
  private void kill() {
    ContainerSandbox sandbox;
    synchronized (this) {
      if (reported) {
        return;
      }
      reported = true;
      stopped = true;
      sandbox = current;
    }
    Thread running = thread;
    if (running != null) {
      running.interrupt();
    }
    if (sandbox == null) {
      return;
    }
    sandbox.termination().request(); // so that the abandoned thread stops at its next safe point
    node.images().kill(sandbox.container().getImage()).ifPresent(kill -> {
      try {
        kill.killed(sandbox.env());
      } catch (RuntimeException e) {
        LOG.warn("pod {}/{}: ending what the killed container held failed: {}", namespace, name, e.toString());
      }
    });
    status.terminated(sandbox.container().getName(), 137, "Error", null, currentStartedAt, Timestamps.now());
    status.finished("Failed");
    try {
      status.publish();
    } catch (RuntimeException e) {
      LOG.debug("pod {}/{}: reporting its kill failed: {}", namespace, name, e.toString());
    }
  }

  /** Cancels probes and closes processes; safe to call again for what started after a stop. */
  private void stopContainers() {
    for (ScheduledFuture<?> probe : probes) {
      probe.cancel(true);
      probes.remove(probe);
    }
    for (PodProcess process : processes) {
      processes.remove(process);
      try {
        process.close();
      } catch (RuntimeException e) {
        LOG.warn("pod {}/{}: stopping its process failed: {}", namespace, name, e.toString());
      }
    }
  }

  void configMapChanged(String configMapNamespace, ConfigMap configMap) {
    PodVolumes mounted = volumes;
    if (mounted != null && namespace.equals(configMapNamespace)
        && mounted.configMaps().contains(configMap.getMetadata().getName())) {
      mounted.refresh(configMap);
    }
  }

  void readinessOverrideChanged() {
    if (!stopped && !status.isFinished()) {
      status.publish();
    }
  }

  private void run() {
    thread = Thread.currentThread();
    try {
      // A pod restarted after a kubelet restart keeps its address, as a pod sandbox would.
      String previous = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
      address = previous != null ? previous : node.addresses().allocate();
      status.scheduled(address, restartCount);
      status.publish();
      Pod bound = new PodBuilder(pod).editOrNewStatus().withPodIP(address).withHostIP(SimulatedKubelet.NODE_IP)
          .endStatus().build();
      volumes = retrying(allContainers(),
          () -> PodVolumes.mount(node.client(), pod, directory, node.claimsDirectory()));
      for (Container init : list(pod.getSpec().getInitContainers())) {
        if (!runInitContainer(bound, init)) {
          finish("Failed");
          return;
        }
      }
      if ("Always".equals(restartPolicy())) {
        startProcesses(bound);
      } else {
        runToCompletion(bound);
      }
    } catch (InterruptedException e) {
      // stopped: the pod is gone, nothing more to report
    } catch (RuntimeException e) {
      if (!stopped) {
        LOG.error("pod {}/{}: the simulated kubelet failed to run it", namespace, name, e);
      }
    } finally {
      thread = null;
      ended.countDown();
      Thread.interrupted();
      if (stopped) {
        // The pod was stopped while this thread was starting a process or a probe.
        stopContainers();
      }
    }
  }

  private boolean runInitContainer(Pod bound, Container init) throws InterruptedException {
    ContainerSandbox sandbox = prepare(bound, init, true);
    String startedAt = Timestamps.now();
    status.running(init.getName(), startedAt, false);
    status.publish();
    ContainerExecution.Outcome outcome = ContainerExecution.run(sandbox, node.images());
    checkStopped();
    status.terminated(init.getName(), outcome.exitCode(), outcome.reason(),
        outcome.message(sandbox), startedAt, Timestamps.now());
    status.publish();
    return outcome.exitCode() == 0;
  }

  private void runToCompletion(Pod bound) throws InterruptedException {
    Job job = ownerJob().orElse(null);
    Optional<KubeletFaults.JobFailure> failure =
        job == null ? Optional.empty() : node.faults().takeFailure(job);
    boolean succeeded = true;
    for (Container container : pod.getSpec().getContainers()) {
      ContainerSandbox sandbox = prepare(bound, container, true);
      String startedAt = Timestamps.now();
      status.running(container.getName(), startedAt, true);
      status.publish();
      Optional<KubeletFaults.JobHold> hold = job == null ? Optional.empty() : node.faults().holdFor(job);
      if (hold.isPresent()) {
        hold.get().await(job); // a held container has no process yet: deleting the pod kills it at once
      }
      synchronized (this) {
        checkStopped();
        current = sandbox;
        currentStartedAt = startedAt;
      }
      ContainerExecution.Outcome outcome;
      if (failure.isPresent() && !failure.get().afterRunning()) {
        sandbox.overrideTerminationMessage(failure.get().terminationMessage());
        outcome = ContainerExecution.Outcome.exited(1);
      } else {
        outcome = ContainerExecution.run(sandbox, node.images());
        if (failure.isPresent()) {
          sandbox.overrideTerminationMessage(failure.get().terminationMessage());
          outcome = ContainerExecution.Outcome.exited(1);
        }
      }
      failure = Optional.empty();
      synchronized (this) {
        checkStopped(); // killed: what it reports now is ignored
        status.terminated(container.getName(), outcome.exitCode(), outcome.reason(),
            outcome.message(sandbox), startedAt, Timestamps.now());
        current = null;
      }
      succeeded &= outcome.exitCode() == 0;
    }
    synchronized (this) {
      checkStopped();
      reported = true;
    }
    finish(succeeded ? "Succeeded" : "Failed");
  }

  private void startProcesses(Pod bound) throws InterruptedException {
    for (Container container : pod.getSpec().getContainers()) {
      ContainerSandbox sandbox = prepare(bound, container, false);
      String startedAt = Timestamps.now();
      Optional<PodProcessFactory> factory = node.images().workload(container.getImage());
      if (factory.isPresent()) {
        try {
          processes.add(factory.get().start(new PodProcessContext(namespace, name, address,
              map(pod.getMetadata().getLabels()), map(pod.getMetadata().getAnnotations()),
              container, sandbox.args(), sandbox.environment())));
        } catch (Exception e) {
          e.printStackTrace(sandbox.log());
          status.waiting(container.getName(), "CrashLoopBackOff",
              "back-off restarting failed container " + container.getName() + ": " + e);
          continue;
        }
      }
      checkStopped();
      boolean probed = container.getReadinessProbe() != null;
      status.running(container.getName(), startedAt, !probed);
      if (probed) {
        String containerName = container.getName();
        probes.add(node.prober().start(address, container, ready -> {
          status.ready(containerName, ready);
          if (!stopped) {
            status.publish();
          }
        }));
      }
    }
    status.publish();
  }

  /**
   * Resolves what a container needs to start, waiting (as the kubelet retries) until it can. A
   * container that must run something needs an image the catalog knows; a workload container of
   * an unknown image is a plain simulated container that runs nothing and is ready.
   */
  private ContainerSandbox prepare(Pod bound, Container container, boolean imageRequired)
      throws InterruptedException {
    Map<String, String> env = retrying(List.of(container.getName()), () -> {
      if (imageRequired && !node.images().has(container.getImage())) {
        throw new ContainerConfigException(ContainerConfigException.IMAGE_PULL_ERROR,
            "failed to pull image \"" + container.getImage() + "\": the test world's image catalog has no such"
                + " image (register it with ImageCatalog)");
      }
      return node.resolver().resolve(bound, container);
    });
    return ContainerSandbox.create(namespace, name, container, env, volumes, node.images(),
        directory.resolve("containers").resolve(container.getName()), node.logs());
  }

  private interface Attempt<T> {
    T get() throws ContainerConfigException;
  }

  private <T> T retrying(List<String> containers, Attempt<T> attempt) throws InterruptedException {
    String reported = null;
    while (true) {
      checkStopped();
      try {
        return attempt.get();
      } catch (ContainerConfigException e) {
        String now = e.reason() + ": " + e.getMessage();
        if (!Objects.equals(now, reported)) {
          containers.forEach(c -> status.waiting(c, e.reason(), e.getMessage()));
          status.publish();
          reported = now;
        }
        Thread.sleep(RETRY_MILLIS);
      }
    }
  }

  private void finish(String phase) {
    status.finished(phase);
    status.publish();
    release();
  }

  private synchronized void release() {
    if (address == null) {
      deleteDirectory();
      return;
    }
    node.addresses().release(address);
    address = null;
    deleteDirectory();
  }

  private void deleteDirectory() {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> tree = Files.walk(directory)) {
      tree.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | RuntimeException e) {
      LOG.debug("pod {}/{}: could not remove {}: {}", namespace, name, directory, e.toString());
    }
  }

  private Optional<Job> ownerJob() {
    return list(pod.getMetadata().getOwnerReferences()).stream()
        .filter(r -> "Job".equals(r.getKind()))
        .map(OwnerReference::getName)
        .findFirst()
        .map(job -> node.client().batch().v1().jobs().inNamespace(namespace).withName(job).get());
  }

  private void checkStopped() throws InterruptedException {
    if (stopped || Thread.currentThread().isInterrupted()) {
      throw new InterruptedException("pod stopped");
    }
  }

  private String restartPolicy() {
    return pod.getSpec().getRestartPolicy() == null ? "Always" : pod.getSpec().getRestartPolicy();
  }

  private List<String> allContainers() {
    return Stream.concat(list(pod.getSpec().getInitContainers()).stream(), pod.getSpec().getContainers().stream())
        .map(Container::getName).toList();
  }

  private static Map<String, String> map(Map<String, String> map) {
    return map == null ? Map.of() : Map.copyOf(map);
  }

  private static <T> List<T> list(List<T> list) {
    return list == null ? List.of() : list;
  }
}
