package dev.lockstep.world.kubelet;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One simulated node and the controllers that feed it, so that an operator runs unchanged against
 * the in-process API: the Job controller, the Deployment/ReplicaSet and StatefulSet controllers, and
 * a kubelet that runs their pods — Job containers in-process through registered entrypoints,
 * workload containers through registered process factories, each pod on its own loopback address —
 * and the garbage collector for what a SchemaMigration or a Job owns.
 *
 * <p>One kubelet per API server at a time; a new one may take over after {@link #close()} (a
 * kubelet restart): it never runs a Job's pod twice.
 */
public final class SimulatedKubelet implements AutoCloseable {

  /** The one node's name: every pod the controllers make is bound to it. */
  public static final String NODE_NAME = "lockstep-world";
  /** The node's address, reported as each pod's hostIP. */
  public static final String NODE_IP = "127.0.0.1";
  /** How often controllers look again at everything (deadlines, minReadySeconds, retries). */
  private static final long RESYNC_MILLIS = 1000;

  private final KubernetesClient client;
  private final ImageCatalog images;
  private final KubeletFaults faults;
  private final PodLogs logs = new PodLogs();
  private final Path root;
  private final ExecutorService containers;
  private final ScheduledExecutorService probes;
  private final NodeRuntime runtime;
  private final ControlLoop control = new ControlLoop();
  private final JobController jobs;
  private final DeploymentController deployments;
  private final StatefulSetController statefulSets;
  private final GarbageCollector garbage;
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private SharedIndexInformer<Job> jobInformer;
  private SharedIndexInformer<Pod> podInformer;
  private SharedIndexInformer<Deployment> deploymentInformer;
  private SharedIndexInformer<StatefulSet> statefulSetInformer;

  private SimulatedKubelet(KubernetesClient client, ImageCatalog images) {
    this.client = client;
    this.images = images;
    this.faults = new KubeletFaults(client);
    try {
      this.root = Files.createTempDirectory("lockstep-kubelet-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the kubelet's directory", e);
    }
    AtomicInteger containerThreads = new AtomicInteger();
    this.containers = Executors.newCachedThreadPool(
        r -> ControlLoop.daemon(r, "world-container-" + containerThreads.incrementAndGet()));
    this.probes = Executors.newScheduledThreadPool(2, r -> ControlLoop.daemon(r, "world-probes"));
    PodAddresses addresses = new PodAddresses();
    Node node = new Node(client, images, addresses, logs, faults, new ReadinessProber(probes),
        new EnvironmentResolver(client), root, containers);
    this.runtime = new NodeRuntime(node);
    this.jobs = new JobController(client, faults);
    this.deployments = new DeploymentController(client);
    this.statefulSets = new StatefulSetController(client);
    this.garbage = new GarbageCollector(client);
    faults.onReadinessChanged((namespace, pod) -> containers.execute(
        () -> runtime.readinessOverrideChanged(namespace, pod)));
    // Pods left by a previous kubelet keep their addresses.
    client.pods().inAnyNamespace().list().getItems().stream()
        .filter(p -> NODE_NAME.equals(p.getSpec().getNodeName()) && p.getStatus() != null)
        .forEach(p -> addresses.reserve(p.getStatus().getPodIP()));
  }

  /** Starts the node and its controllers against the API {@code client} talks to. */
  public static SimulatedKubelet start(KubernetesClient client, ImageCatalog images) {
    SimulatedKubelet kubelet = new SimulatedKubelet(client, images);
    try {
      kubelet.startInformers();
    } catch (RuntimeException e) {
      kubelet.close();
      throw e;
    }
    return kubelet;
  }

  private void startInformers() {
    informers.add(client.configMaps().inAnyNamespace().inform(handler(runtime::configMapChanged, c -> {})));
    podInformer = client.pods().inAnyNamespace().inform(handler(p -> {
      runtime.podSeen(p);
      reconcileOwner(p);
    }, p -> {
      runtime.podDeleted(p);
      reconcileOwner(p);
    }));
    informers.add(podInformer);
    jobInformer = client.batch().v1().jobs().inAnyNamespace().inform(handler(this::reconcileJob, j -> {}));
    deploymentInformer = client.apps().deployments().inAnyNamespace()
        .inform(handler(this::reconcileDeployment, d -> {}));
    statefulSetInformer = client.apps().statefulSets().inAnyNamespace()
        .inform(handler(this::reconcileStatefulSet, s -> {}));
    informers.addAll(List.of(jobInformer, deploymentInformer, statefulSetInformer));
    control.every(RESYNC_MILLIS, this::resync);
  }

  /** The images this node can pull and run. */
  public ImageCatalog images() {
    return images;
  }

  /** Faults to inject into Jobs and pods. */
  public KubeletFaults faults() {
    return faults;
  }

  /** Everything the pod's containers wrote (init containers first), as {@code kubectl logs} would show. */
  public String logs(String namespace, String pod) {
    Pod found = client.pods().inNamespace(namespace).withName(pod).get();
    if (found == null) {
      return "";
    }
    StringBuilder all = new StringBuilder();
    Stream.concat(
            list(found.getSpec().getInitContainers()).stream(), found.getSpec().getContainers().stream())
        .forEach(c -> all.append(logs.read(namespace, pod, c.getName())));
    return all.toString();
  }

  /** What one container of the pod wrote; kept after the pod is deleted. */
  public String logs(String namespace, String pod, String container) {
    return logs.read(namespace, pod, container);
  }

  private void reconcileJob(Job job) {
    String key = key(job);
    control.request("job " + key, () -> jobs.reconcile(job.getMetadata().getNamespace(), job.getMetadata().getName()));
  }

  private void reconcileDeployment(Deployment deployment) {
    control.request("deployment " + key(deployment), () -> deployments.reconcile(
        deployment.getMetadata().getNamespace(), deployment.getMetadata().getName()));
  }

  private void reconcileStatefulSet(StatefulSet set) {
    control.request("statefulset " + key(set), () -> statefulSets.reconcile(
        set.getMetadata().getNamespace(), set.getMetadata().getName()));
  }

  /** A pod changed: its controller looks again. */
  private void reconcileOwner(Pod pod) {
    String namespace = pod.getMetadata().getNamespace();
    OwnerReference owner = WorkloadPods.controller(pod).orElse(null);
    if (owner == null) {
      return;
    }
    switch (owner.getKind()) {
      case "Job" -> control.request("job " + namespace + "/" + owner.getName(),
          () -> jobs.reconcile(namespace, owner.getName()));
      case "StatefulSet" -> control.request("statefulset " + namespace + "/" + owner.getName(),
          () -> statefulSets.reconcile(namespace, owner.getName()));
      case "ReplicaSet" -> {
        // A ReplicaSet is named <deployment>-<pod-template-hash>.
        String hash = pod.getMetadata().getLabels().get(DeploymentController.TEMPLATE_HASH);
        if (hash != null && owner.getName().endsWith("-" + hash)) {
          String deployment = owner.getName().substring(0, owner.getName().length() - hash.length() - 1);
          control.request("deployment " + namespace + "/" + deployment,
              () -> deployments.reconcile(namespace, deployment));
        }
      }
      default -> {
        // not ours to control
      }
    }
  }

  private void resync() {
    jobInformer.getStore().list().stream().filter(j -> !JobController.finished(j)).forEach(this::reconcileJob);
    deploymentInformer.getStore().list().forEach(this::reconcileDeployment);
    statefulSetInformer.getStore().list().forEach(this::reconcileStatefulSet);
    garbage.sweep(jobInformer.getStore().list(), podInformer.getStore().list());
  }

  private static <T extends HasMetadata> ResourceEventHandler<T> handler(Consumer<T> seen, Consumer<T> deleted) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T object) {
        seen.accept(object);
      }

      @Override
      public void onUpdate(T before, T after) {
        seen.accept(after);
      }

      @Override
      public void onDelete(T object, boolean finalStateUnknown) {
        deleted.accept(object);
      }
    };
  }

  private static String key(HasMetadata object) {
    return object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
  }

  private static <T> List<T> list(List<T> list) {
    return list == null ? List.of() : list;
  }

  /** Stops the controllers and every pod's containers; the pods stay in the API as they were. */
  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
    control.close();
    runtime.close();
    containers.shutdownNow();
    probes.shutdownNow();
    try {
      containers.awaitTermination(5, TimeUnit.SECONDS);
      probes.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deleteTree(root);
  }

  private static void deleteTree(Path directory) {
    try (Stream<Path> tree = Files.walk(directory)) {
      tree.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a temp directory left behind is harmless
    }
  }
}
