package dev.lockstep.jobs;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * Which of a migration's runner Jobs have not ended yet. A Job counts as ended only when it has its
 * {@code Complete} or {@code Failed} condition <em>and</em> none of its pods is still running or
 * terminating: a Job marked failed for its deadline can still have a runner holding locks in the
 * database until its pod is gone. Nothing may start against the database while one has not ended.
 */
public final class ActiveJobs {

  private final KubernetesClient client;

  public ActiveJobs(KubernetesClient client) {
    this.client = client;
  }

  /** The names of the migration's Jobs that have not ended, in name order. */
  public List<String> of(String namespace, String migration) {
    List<Job> jobs = client.batch().v1().jobs().inNamespace(namespace)
        .withLabel(JobLabels.MIGRATION, migration).withLabel(JobLabels.MANAGED_BY, JobLabels.MANAGER)
        .list().getItems();
    return jobs.stream()
        .filter(job -> !ended(job) || podsStillGoing(namespace, job.getMetadata().getName()))
        .map(job -> job.getMetadata().getName())
        .sorted()
        .toList();
  }

  static boolean ended(Job job) {
    return job.getStatus() != null && job.getStatus().getConditions() != null
        && job.getStatus().getConditions().stream()
            .anyMatch(c -> ("Complete".equals(c.getType()) || "Failed".equals(c.getType()))
                && "True".equals(c.getStatus()));
  }

  private boolean podsStillGoing(String namespace, String job) {
    return client.pods().inNamespace(namespace).withLabel("job-name", job).list().getItems().stream()
        .anyMatch(ActiveJobs::going);
  }

  /** A pod is going until its phase is Succeeded or Failed, also while it is being deleted. */
  static boolean going(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    boolean stopped = "Succeeded".equals(phase) || "Failed".equals(phase);
    return !stopped;
  }
}
