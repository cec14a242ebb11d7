package dev.lockstep.jobs;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import dev.lockstep.cache.CachedResources;
import java.util.List;

/**
 * Which of a migration's runner Jobs have not ended yet. A Job counts as ended only when it has its
 * {@code Complete} or {@code Failed} condition <em>and</em> none of its pods is still running or
 * terminating: a Job marked failed for its deadline can still have a runner holding locks in the
 * database until its pod is gone. Nothing may start against the database while one has not ended.
 */
public final class ActiveJobs {

  private final CachedResources<Job> jobs;
  private final CachedResources<Pod> pods;

  /** Reads the runner Jobs and their pods from the informer caches: no request per reconcile. */
  public ActiveJobs(CachedResources<Job> jobs, CachedResources<Pod> pods) {
    this.jobs = jobs;
    this.pods = pods;
  }

  /** The names of the migration's Jobs that have not ended, in name order. */
  public List<String> of(String namespace, String migration) {
    List<Job> jobs = this.jobs.list(namespace, job -> job.getMetadata().getLabels() != null
        && migration.equals(job.getMetadata().getLabels().get(JobLabels.MIGRATION))
        && JobLabels.MANAGER.equals(job.getMetadata().getLabels().get(JobLabels.MANAGED_BY)));
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
    return pods.list(namespace, pod -> pod.getMetadata().getLabels() != null
            && job.equals(pod.getMetadata().getLabels().get("job-name")))
        .stream().anyMatch(ActiveJobs::going);
  }

  /** A pod is going until its phase is Succeeded or Failed, also while it is being deleted. */
  static boolean going(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    boolean stopped = "Succeeded".equals(phase) || "Failed".equals(phase);
    return !stopped;
  }
}
