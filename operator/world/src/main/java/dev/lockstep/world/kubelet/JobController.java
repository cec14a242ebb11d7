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
import io.fabric8.kubernetes.api.model.batch.v1.UncountedTerminatedPods;
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
 * ({@code SuccessCriteriaMet} then {@code Complete}; {@code FailureTarget} then {@code Failed}).
 * Pods run one at a time, whatever {@code parallelism} says.
 */
final class JobController {

  static final String CONTROLLER_UID = "batch.kubernetes.io/controller-uid";
  static final String JOB_NAME = "batch.kubernetes.io/job-name";

  private final KubernetesClient client;

  private final KubeletFaults faults;

  JobController(KubernetesClient client, KubeletFaults faults) {
    this.client = client;
    this.faults = faults;
  }

  void reconcile(String namespace, String name) {
    Job job = client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
    if (job == null || finished(job) || Boolean.TRUE.equals(job.getSpec().getSuspend())) {
      return;
    }
    String uid = job.getMetadata().getUid();
    LabelSelector ownPods = new LabelSelectorBuilder().withMatchLabels(Map.of(CONTROLLER_UID, uid)).build();
    List<Pod> pods = WorkloadPods.owned(client, job, ownPods);
    int succeeded = count(pods, "Succeeded");
    int failed = count(pods, "Failed");
    List<Pod> active = pods.stream().filter(p -> !terminal(p)).toList();
    Instant now = Instant.now();
    String startTime = job.getStatus() == null ? null : job.getStatus().getStartTime();

    Long deadline = job.getSpec().getActiveDeadlineSeconds();
    if (startTime != null && deadline != null && now.isAfter(Timestamps.parse(startTime).plusSeconds(deadline))) {
      // The controller kills what still runs; those pods count as failed.
      active.forEach(p -> client.resource(p).delete());
      writeStatus(job, startTime, 0, 0, succeeded, failed + active.size(),
          failure("DeadlineExceeded", "Job was active longer than specified deadline"));
      return;
    }
    int completions = job.getSpec().getCompletions() == null ? 1 : job.getSpec().getCompletions();
    int backoffLimit = job.getSpec().getBackoffLimit() == null ? 6 : job.getSpec().getBackoffLimit();
    if (succeeded >= completions) {
      writeStatus(job, startTime, 0, 0, succeeded, failed, success());
    } else if (failed > backoffLimit) {
      writeStatus(job, startTime, 0, 0, succeeded, failed,
          failure("BackoffLimitExceeded", "Job has reached the specified backoff limit"));
    } else {
      int activeCount = active.size();
      if (activeCount == 0 && createPod(job, pods.size())) {
        activeCount = 1;
      }
      int ready = (int) active.stream().filter(WorkloadPods::ready).count();
      writeStatus(job, startTime == null ? Timestamps.format(now) : startTime,
          activeCount, ready, succeeded, failed, List.of());
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

  private void writeStatus(Job job, String startTime, int active, int ready, int succeeded, int failed,
      List<JobCondition> finalConditions) {
    StatusWriter.update(client,
        client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName()),
        stored -> {
          JobStatus status = stored.getStatus() == null ? new JobStatus() : stored.getStatus();
          status.setStartTime(startTime);
          status.setActive(active == 0 ? null : active);
          status.setReady(ready);
          status.setTerminating(0);
          status.setSucceeded(succeeded == 0 ? null : succeeded);
          status.setFailed(failed == 0 ? null : failed);
          status.setUncountedTerminatedPods(new UncountedTerminatedPods());
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

  private static List<JobCondition> success() {
    String message = "Reached expected number of succeeded pods";
    return List.of(condition("SuccessCriteriaMet", "CompletionsReached", message),
        condition("Complete", "CompletionsReached", message));
  }

  private static List<JobCondition> failure(String reason, String message) {
    return List.of(condition("FailureTarget", reason, message), condition("Failed", reason, message));
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

  private static boolean terminal(Pod pod) {
    String phase = WorkloadPods.phase(pod);
    return phase.equals("Succeeded") || phase.equals("Failed");
  }

  private static int count(List<Pod> pods, String phase) {
    return (int) pods.stream().filter(p -> phase.equals(WorkloadPods.phase(p))).count();
  }
}
