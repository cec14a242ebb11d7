package dev.lockstep.world.kubelet;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import java.util.Optional;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Job controller: makes a Job's pod, retries failed pods up to {@code backoffLimit}, enforces
 * {@code activeDeadlineSeconds}, and writes the Job's status and conditions as Kubernetes 1.31 does
 * ({@code SuccessCriteriaMet} then {@code Complete}; {@code FailureTarget} then, once no pod of the
 * Job is still terminating, {@code Failed}). Pods run one at a time, whatever {@code parallelism} says.
 *
 * <p>Pods are tracked with finalizers, as since Kubernetes 1.26: each pod carries {@link
 * #TRACKING_FINALIZER}; a pod that ended, or was deleted before it succeeded (counted failed, as
 * Kubernetes counts it when no podFailurePolicy says otherwise), goes into the Job's {@code
 * uncountedTerminatedPods}, its finalizer is removed, and it then moves to the counters. So a
 * deleted pod counts even after it is gone, and a Job with {@code backoffLimit: 0} fails
 * {@code BackoffLimitExceeded} instead of making another pod.
 */
final class JobController {

  static final String CONTROLLER_UID = "batch.kubernetes.io/controller-uid";
  static final String JOB_NAME = "batch.kubernetes.io/job-name";
  static final String TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";

  private final KubernetesClient client;

  private final KubeletFaults faults;

  JobController(KubernetesClient client, KubeletFaults faults) {
    this.client = client;
    this.faults = faults;
  }

  void reconcile(String namespace, String name) {
    Job job = client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
    if (job == null) {
      // An orphan's finalizer goes, as the Job controller clears it for pods whose Job is gone.
      client.pods().inNamespace(namespace).withLabel(JOB_NAME, name).list().getItems().stream()
          .filter(p -> tracked(p) && (terminal(p) || p.getMetadata().getDeletionTimestamp() != null))
          .forEach(this::untrack);
      return;
    }
    String uid = job.getMetadata().getUid();
    LabelSelector ownPods = new LabelSelectorBuilder().withMatchLabels(Map.of(CONTROLLER_UID, uid)).build();
    List<Pod> pods = WorkloadPods.ownedEvenTerminating(client, job, ownPods);
    if (finished(job) || Boolean.TRUE.equals(job.getSpec().getSuspend())) {
      pods.stream().filter(p -> tracked(p) && releasable(p)).forEach(this::untrack);
      return;
    }
    PodAccounts accounts = PodAccounts.of(job.getStatus(), pods);
    int succeeded = accounts.succeeded();
    int failed = accounts.failed();
    List<Pod> active = pods.stream().filter(p -> !terminal(p) && p.getMetadata().getDeletionTimestamp() == null)
        .toList();
    int terminating = (int) pods.stream()
        .filter(p -> !terminal(p) && p.getMetadata().getDeletionTimestamp() != null).count();
    Instant now = Instant.now();
    String startTime = job.getStatus() == null ? null : job.getStatus().getStartTime();

    Optional<JobCondition> target = condition(job, "FailureTarget");
    Long deadline = job.getSpec().getActiveDeadlineSeconds();
    if (target.isEmpty() && startTime != null && deadline != null
        && now.isAfter(Timestamps.parse(startTime).plusSeconds(deadline))) {
      // The controller kills what still runs; those pods count as failed.
      active.forEach(p -> {
        client.resource(p).delete();
        accounts.deleted(p);
      });
      target = Optional.of(condition("FailureTarget", "DeadlineExceeded", "Job was active longer than specified deadline"));
      terminating += active.size();
      active = List.of();
    }
    int completions = job.getSpec().getCompletions() == null ? 1 : job.getSpec().getCompletions();
    int backoffLimit = job.getSpec().getBackoffLimit() == null ? 6 : job.getSpec().getBackoffLimit();
    if (target.isEmpty() && succeeded >= completions) {
      writeStatus(job, startTime, 0, 0, 0, accounts, success());
    } else if (target.isPresent() || failed > backoffLimit) {
      JobCondition failure = target.orElseGet(() -> condition("FailureTarget", "BackoffLimitExceeded",
          "Job has reached the specified backoff limit"));
      // Failed only once no pod of the Job still terminates: until then its pod may still be writing.
      List<JobCondition> conditions = new ArrayList<>();
      if (condition(job, "FailureTarget").isEmpty()) {
        conditions.add(failure);
      }
      if (terminating == 0 && active.isEmpty()) {
        conditions.add(condition("Failed", failure.getReason(), failure.getMessage()));
      }
      writeStatus(job, startTime, 0, 0, terminating, accounts, conditions);
    } else {
      int activeCount = active.size();
      if (activeCount == 0 && createPod(job, succeeded + failed)) {
        activeCount = 1;
      }
      int ready = (int) active.stream().filter(WorkloadPods::ready).count();
      writeStatus(job, startTime == null ? Timestamps.format(now) : startTime,
          activeCount, ready, terminating, accounts, List.of());
    }
    pods.stream().filter(p -> tracked(p) && accounts.uncounted(p) && releasable(p)).forEach(this::untrack);
  }

  /**
   * A pod's finalizer may go once it ended or its kubelet is removing it (grace period 0); a pod
   * still terminating keeps it, as the store would otherwise remove the pod before its kubelet
   * stopped it.
   */
  private static boolean releasable(Pod pod) {
    Long grace = pod.getMetadata().getDeletionGracePeriodSeconds();
    return terminal(pod) || (pod.getMetadata().getDeletionTimestamp() != null && grace != null && grace == 0);
  }

  static boolean tracked(Pod pod) {
    List<String> finalizers = pod.getMetadata().getFinalizers();
    return finalizers != null && finalizers.contains(TRACKING_FINALIZER);
  }

  private void untrack(Pod pod) {
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
          .edit(p -> {
            List<String> finalizers = new ArrayList<>(p.getMetadata().getFinalizers());
            finalizers.remove(TRACKING_FINALIZER);
            p.getMetadata().setFinalizers(finalizers);
            return p;
          });
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND && e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      // gone already, or changed: the next reconcile looks again
    }
  }

  /**
   * Makes the pod for the Job's next attempt. Its name is derived from the Job's UID and the
   * attempt, so a second kubelet (or this one after a restart) cannot make it twice.
   */
  private boolean createPod(Job job, int attempt) {
    Optional<String> refused = faults.refusal(job);
    if (refused.isPresent()) {
      failedCreate(job, refused.get());
      return false;
    }
    String uid = job.getMetadata().getUid();
    Map<String, String> labels = new HashMap<>();
    labels.put(CONTROLLER_UID, uid);
    labels.put(JOB_NAME, job.getMetadata().getName());
    labels.put("controller-uid", uid);
    labels.put("job-name", job.getMetadata().getName());
    Pod pod = WorkloadPods.fromTemplate(job.getSpec().getTemplate(), job.getMetadata().getNamespace(),
        Names.derived(job.getMetadata().getName(), uid + "/" + attempt), labels,
        WorkloadPods.controllerReference(job));
    pod.getMetadata().setGenerateName(job.getMetadata().getName() + "-");
    pod.getMetadata().setFinalizers(List.of(TRACKING_FINALIZER));
    try {
      client.resource(pod).create();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return false;
      }
      throw e;
    }
  }

  /** As the Job controller reports a pod that admission refused: one Warning Event, counted on repeats. */
  private void failedCreate(Job job, String why) {
    String namespace = job.getMetadata().getNamespace();
    String name = job.getMetadata().getName() + ".failedcreate";
    Event existing = client.v1().events().inNamespace(namespace).withName(name).get();
    String now = Timestamps.now();
    if (existing != null) {
      existing.setCount(existing.getCount() == null ? 2 : existing.getCount() + 1);
      existing.setLastTimestamp(now);
      client.resource(existing).update();
      return;
    }
    client.resource(new EventBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withNewInvolvedObject().withApiVersion("batch/v1").withKind("Job").withName(job.getMetadata().getName())
        .withNamespace(namespace).withUid(job.getMetadata().getUid()).endInvolvedObject()
        .withReason("FailedCreate").withType("Warning").withMessage("Error creating: " + why)
        .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
        .withNewSource().withComponent("job-controller").endSource()
        .build()).create();
  }

  private void writeStatus(Job job, String startTime, int active, int ready, int terminating, PodAccounts accounts,
      List<JobCondition> finalConditions) {
    StatusWriter.update(client,
        client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName()),
        stored -> {
          JobStatus status = stored.getStatus() == null ? new JobStatus() : stored.getStatus();
          status.setStartTime(startTime);
          status.setActive(active == 0 ? null : active);
          status.setReady(ready);
          status.setTerminating(terminating);
          accounts.writeTo(status);
          if (!finalConditions.isEmpty()) {
            List<JobCondition> conditions =
                new ArrayList<>(status.getConditions() == null ? List.of() : status.getConditions());
            conditions.addAll(finalConditions);
            status.setConditions(conditions);
            if ("Complete".equals(finalConditions.get(finalConditions.size() - 1).getType())) {
              status.setCompletionTime(finalConditions.get(0).getLastTransitionTime());
            }
          }
          stored.setStatus(status);
        });
  }

  private static Optional<JobCondition> condition(Job job, String type) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return job.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus())).findFirst();
  }

  private static List<JobCondition> success() {
    String message = "Reached expected number of succeeded pods";
    return List.of(condition("SuccessCriteriaMet", "CompletionsReached", message),
        condition("Complete", "CompletionsReached", message));
  }

  private static JobCondition condition(String type, String reason, String message) {
    String now = Timestamps.now();
    return new JobConditionBuilder().withType(type).withStatus("True").withReason(reason).withMessage(message)
        .withLastProbeTime(now).withLastTransitionTime(now).build();
  }

  static boolean finished(Job job) {
    return job.getStatus() != null && job.getStatus().getConditions() != null
        && job.getStatus().getConditions().stream()
            .anyMatch(c -> ("Complete".equals(c.getType()) || "Failed".equals(c.getType()))
                && "True".equals(c.getStatus()));
  }

  static boolean terminal(Pod pod) {
    String phase = WorkloadPods.phase(pod);
    return phase.equals("Succeeded") || phase.equals("Failed");
  }
}
