package dev.lockstep.world.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.UncountedTerminatedPods;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A Job's count of ended pods, kept with tracking finalizers: a pod seen ending is counted and its
 * UID kept in {@code uncountedTerminatedPods} in the same status write; once its finalizer is gone
 * (or the pod is), the UID is dropped. So no pod is counted twice or lost, whatever step a restart
 * interrupts. (Kubernetes moves a UID to the counter only after the finalizer is gone; here the
 * counters include the pods being released at once, which is what a reader of the Job sees.)
 */
final class PodAccounts {

  private int succeeded;
  private int failed;
  private final Set<String> uncountedSucceeded = new LinkedHashSet<>();
  private final Set<String> uncountedFailed = new LinkedHashSet<>();

  private PodAccounts() {}

  /** The accounts after looking at {@code pods}: counted UIDs folded in, newly ended pods added as uncounted. */
  static PodAccounts of(JobStatus status, List<Pod> pods) {
    PodAccounts accounts = new PodAccounts();
    if (status != null) {
      accounts.succeeded = status.getSucceeded() == null ? 0 : status.getSucceeded();
      accounts.failed = status.getFailed() == null ? 0 : status.getFailed();
      UncountedTerminatedPods uncounted = status.getUncountedTerminatedPods();
      if (uncounted != null) {
        accounts.uncountedSucceeded.addAll(list(uncounted.getSucceeded()));
        accounts.uncountedFailed.addAll(list(uncounted.getFailed()));
      }
    }
    Set<String> stillTracked = new LinkedHashSet<>();
    pods.stream().filter(JobController::tracked).forEach(p -> stillTracked.add(p.getMetadata().getUid()));
    accounts.uncountedSucceeded.retainAll(stillTracked);
    accounts.uncountedFailed.retainAll(stillTracked);
    for (Pod pod : pods) {
      String uid = pod.getMetadata().getUid();
      if (!JobController.tracked(pod) || accounts.uncounted(pod)) {
        continue;
      }
      if ("Succeeded".equals(WorkloadPods.phase(pod))) {
        accounts.uncountedSucceeded.add(uid);
        accounts.succeeded++;
      } else if (JobController.terminal(pod) || pod.getMetadata().getDeletionTimestamp() != null) {
        // Deleted before it succeeded: failed, as the Job controller counts it without a podFailurePolicy.
        accounts.uncountedFailed.add(uid);
        accounts.failed++;
      }
    }
    return accounts;
  }

  /** The controller deletes {@code pod} before it succeeded (past the Job's deadline): it counts as failed now. */
  void deleted(Pod pod) {
    if (uncountedFailed.add(pod.getMetadata().getUid())) {
      failed++;
    }
  }

  boolean uncounted(Pod pod) {
    String uid = pod.getMetadata().getUid();
    return uncountedSucceeded.contains(uid) || uncountedFailed.contains(uid);
  }

  int succeeded() {
    return succeeded;
  }

  int failed() {
    return failed;
  }

  void writeTo(JobStatus status) {
    status.setSucceeded(succeeded == 0 ? null : succeeded);
    status.setFailed(failed == 0 ? null : failed);
    status.setUncountedTerminatedPods(new UncountedTerminatedPods(
        new ArrayList<>(uncountedFailed), new ArrayList<>(uncountedSucceeded)));
  }

  private static List<String> list(List<String> list) {
    return list == null ? List.of() : list;
  }
}
