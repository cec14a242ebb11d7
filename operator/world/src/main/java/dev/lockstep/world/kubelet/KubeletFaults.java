package dev.lockstep.world.kubelet;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * Faults a test injects into the simulated node: Jobs that hang or fail, pods that turn unready or
 * disappear.
 */
public final class KubeletFaults {

  private final KubernetesClient client;
  private final List<JobHold> holds = new CopyOnWriteArrayList<>();
  private final List<JobFailure> failures = new CopyOnWriteArrayList<>();
  private final List<PodRefusal> refusals = new CopyOnWriteArrayList<>();
  private final Set<String> unready = ConcurrentHashMap.newKeySet();
  private volatile BiConsumer<String, String> readinessChanged = (namespace, pod) -> {};

  KubeletFaults(KubernetesClient client) {
    this.client = client;
  }

  /** Jobs with this name. */
  public static Predicate<Job> jobNamed(String name) {
    return job -> name.equals(job.getMetadata().getName());
  }

  /** Jobs with this label, e.g. {@code jobLabelled("lockstep.dev/step", "expand")}. */
  public static Predicate<Job> jobLabelled(String key, String value) {
    return job -> {
      Map<String, String> labels = job.getMetadata().getLabels();
      return labels != null && value.equals(labels.get(key));
    };
  }

  /**
   * Holds the pods of matching Jobs in Running, before their container's entrypoint starts, until
   * {@link JobHold#release()}: the moment to restart the operator "in the middle of a Job".
   */
  public JobHold holdJobs(Predicate<Job> which) {
    JobHold hold = new JobHold(which, this);
    holds.add(hold);
    return hold;
  }

  /**
   * The next matching Job's container does not run: it exits 1 at once with {@code
   * terminationMessage} as its termination message, as a runner that crashed on start would.
   */
  public void failNextJob(Predicate<Job> which, String terminationMessage) {
    failures.add(new JobFailure(which, terminationMessage, false));
  }

  /**
   * The next matching Job's container runs to its end (its work is done, e.g. the migration is
   * applied), then reports exit code 1 with {@code terminationMessage}: a runner that died before
   * it could report success.
   */
  public void failNextJobAfterRunning(Predicate<Job> which, String terminationMessage) {
    failures.add(new JobFailure(which, terminationMessage, true));
  }

  /**
   * The Job controller cannot create pods for matching Jobs, as when Pod Security admission or a
   * ResourceQuota refuses them: it records a {@code FailedCreate} Warning Event on the Job with
   * {@code "Error creating: " + why}, and tries again, until {@link #allowPods}.
   */
  public void refusePods(Predicate<Job> which, String why) {
    refusals.add(new PodRefusal(which, why));
  }

  /** Ends every {@link #refusePods} refusal: pods are created again. */
  public void allowPods() {
    refusals.clear();
  }

  /** Why pods of this Job are refused, if they are. */
  Optional<String> refusal(Job job) {
    return refusals.stream().filter(r -> r.which().test(job)).map(PodRefusal::why).findFirst();
  }

  /** A refusal of one kind of Job's pods. */
  record PodRefusal(Predicate<Job> which, String why) {}

  /** The pod reports Ready=False whatever its probe says, until {@link #markReady}. */
  public void markUnready(String namespace, String pod) {
    unready.add(namespace + "/" + pod);
    readinessChanged.accept(namespace, pod);
  }

  /** Undoes {@link #markUnready}: the pod's own readiness (its probe, or ready) applies again. */
  public void markReady(String namespace, String pod) {
    unready.remove(namespace + "/" + pod);
    readinessChanged.accept(namespace, pod);
  }

  /** Deletes a pod, as a node failure or an eviction would; a Deployment's pod is replaced. */
  public void deletePod(String namespace, String pod) {
    client.pods().inNamespace(namespace).withName(pod).delete();
  }

  void onReadinessChanged(BiConsumer<String, String> listener) {
    this.readinessChanged = listener;
  }

  boolean forcedUnready(String namespace, String pod) {
    return unready.contains(namespace + "/" + pod);
  }

  /** Takes the first failure planned for this Job, if any: each fires once. */
  Optional<JobFailure> takeFailure(Job job) {
    for (JobFailure failure : failures) {
      if (failure.which().test(job) && failures.remove(failure)) {
        return Optional.of(failure);
      }
    }
    return Optional.empty();
  }

  Optional<JobHold> holdFor(Job job) {
    return holds.stream().filter(h -> h.which.test(job)).findFirst();
  }

  /** A planned failure of one Job. */
  record JobFailure(Predicate<Job> which, String terminationMessage, boolean afterRunning) {}

  /** Jobs held in Running until released. */
  public static final class JobHold {
    private final Predicate<Job> which;
    private final KubeletFaults faults;
    private final CountDownLatch released = new CountDownLatch(1);
    private final Set<String> waiting = ConcurrentHashMap.newKeySet();

    private JobHold(Predicate<Job> which, KubeletFaults faults) {
      this.which = which;
      this.faults = faults;
    }

    /** Lets every held Job's container start; Jobs created from now on are not held. */
    public void release() {
      faults.holds.remove(this);
      released.countDown();
    }

    /** The Jobs ({@code namespace/name}) whose pods are waiting on this hold now. */
    public Set<String> heldJobs() {
      return Set.copyOf(waiting);
    }

    void await(Job job) throws InterruptedException {
      String key = job.getMetadata().getNamespace() + "/" + job.getMetadata().getName();
      waiting.add(key);
      try {
        released.await();
      } finally {
        waiting.remove(key);
      }
    }
  }
}
