package dev.lockstep.jobs;

import dev.lockstep.cache.CachedResources;
import dev.lockstep.protocol.RunnerResult;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import dev.lockstep.api.Durations;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs runner Jobs through the Kubernetes API and reads their outcome from the Job's conditions and
 * the runner's termination message on its pod.
 *
 * <p>Creating is the only request: the Job and its pods are read from the informers' caches. A Job
 * just created is handed to the Job cache at once, so the next reconcile finds it even if the
 * watch has not delivered it yet; should a Job be missing from the cache all the same (created by a
 * reconcile that crashed before recording it), its deterministic name makes the next create answer
 * 409 Conflict, and the existing Job is adopted.
 */
public final class KubernetesJobLauncher implements JobLauncher {

  private static final Logger LOG = LoggerFactory.getLogger(KubernetesJobLauncher.class);

  /** The label Kubernetes puts on a Job's pods (the older {@code job-name} is kept alongside). */
  static final String JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
  static final String LEGACY_JOB_NAME_LABEL = "job-name";

  private final KubernetesClient client;
  private final RunnerJobFactory factory;
  private final CachedResources<Job> jobs;
  private final CachedResources<Pod> pods;
  private final JobEvents events;
  private final Clock clock;

  /**
   * @param client creates Jobs
   * @param jobs the runner Jobs
   * @param pods the runner Jobs' pods
   */
  public KubernetesJobLauncher(KubernetesClient client, RunnerJobFactory factory, CachedResources<Job> jobs,
      CachedResources<Pod> pods) {
    this(client, factory, jobs, pods, JobEvents.NONE, Clock.systemUTC());
  }

  /**
   * @param events asked for a Job's {@code FailedCreate} Events when it has had no pod for {@link #NO_POD_AFTER}
   * @param clock to tell how long a Job has been without a pod
   */
  public KubernetesJobLauncher(KubernetesClient client, RunnerJobFactory factory, CachedResources<Job> jobs,
      CachedResources<Pod> pods, JobEvents events, Clock clock) {
    this.client = client;
    this.factory = factory;
    this.jobs = jobs;
    this.pods = pods;
    this.events = events;
    this.clock = clock;
  }

  /**
   * How long a Job may be without a pod before the launcher asks why: the Job controller makes one
   * within a second or two, unless admission or a quota refuses it.
   */
  static final Duration NO_POD_AFTER = Duration.ofSeconds(15);
  /**
   * How long after a Job completed its pod may still be missing from the pod cache (a restarted
   * operator's informer still listing, a dropped watch relisting) before the Job is taken as
   * succeeded without the runner's report.
   */
  static final Duration REPORT_WAIT = Duration.ofSeconds(30);

  @Override
  public void launch(RunnerJobRequest request) {
    Job job = factory.build(request);
    try {
      jobs.created(client.batch().v1().jobs().inNamespace(request.namespace()).resource(job).create());
      LOG.info("Created Job {}/{}", request.namespace(), request.jobName());
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      // Created by an earlier reconcile that did not get to record it: adopt it.
      LOG.info("Job {}/{} exists already; adopting it", request.namespace(), request.jobName());
    }
  }

  @Override
  public JobState state(String namespace, String name) {
    Job job = jobs.get(namespace, name).orElse(null);
    if (job == null) {
      return JobState.missing();
    }
    Optional<Pod> pod = newestPod(namespace, name);
    RunnerResult result = pod.flatMap(KubernetesJobLauncher::terminationMessage).flatMap(
        KubernetesJobLauncher::parseResult).orElse(null);
    Optional<JobCondition> failed = condition(job, "Failed");
    boolean podEndedFirst = hasCondition(job, "Complete")
        || failed.filter(f -> !"DeadlineExceeded".equals(f.getReason())).isPresent();
    if (podEndedFirst && pod.isPresent() && !ended(pod.get())) {
      // The Job controller marks a Job Complete, or Failed for its pods' failures, only after its pod
      // ended, so a cached pod that does not show it yet is behind (its watch event is still to come,
      // or the watch was dropped and relists). Wait for it: deciding now would record the step
      // without the runner's report (a failed step without one is then undone, to be safe).
      return JobState.running(null);
    }
    Optional<JobCondition> complete = condition(job, "Complete");
    if (complete.isPresent() && pod.isEmpty() && completedWithin(complete.get(), REPORT_WAIT)) {
      // A Complete Job had a pod that succeeded and kept it; if the cache does not show it yet,
      // deciding now would record the step without its report (an undo's version, for one).
      return JobState.running(null);
    }
    if (complete.isPresent()) {
      return JobState.succeeded(result);
    }
    if (failed.isPresent()) {
      if (result == null && killedBeforeReporting(failed.get(), pod)) {
        return JobState.killed("Job " + name + " failed: its pod was terminated (deleted or killed) while the runner"
            + " ran, before it reported");
      }
      return JobState.failed(failureMessage(name, failed.get(), result, pod), result);
    }
    if (pod.isEmpty()) {
      return JobState.running(withoutPod(job).orElse(null));
    }
    return JobState.running(JobPodProblems.of(pod.get()).orElse(null));
  }

  /** Why a Job that has had no pod for a while has none: its {@code FailedCreate} Event, when there is one. */
  private Optional<String> withoutPod(Job job) {
    String created = job.getMetadata().getCreationTimestamp();
    if (created == null) {
      return Optional.empty();
    }
    Duration without = Duration.between(Instant.parse(created), clock.instant());
    if (without.compareTo(NO_POD_AFTER) < 0) {
      return Optional.empty();
    }
    String name = job.getMetadata().getName();
    String after = "no pod was created for Job " + name + " in " + Durations.format(Duration.ofSeconds(without.toSeconds()));
    return Optional.of(events.failedCreate(job.getMetadata().getNamespace(), name)
        .map(why -> after + ": FailedCreate: " + why + " (Pod Security admission and ResourceQuotas refuse pods this way;"
            + " the runner pod is restricted and sets resources from runner.resources)")
        .orElse(after + ", and the Job has no FailedCreate Event saying why yet"));
  }

  private Optional<Pod> newestPod(String namespace, String job) {
    return pods.list(namespace, pod -> ofJob(pod, job)).stream()
        .max(Comparator.comparing(p -> String.valueOf(p.getMetadata().getCreationTimestamp())));
  }

  private static boolean ofJob(Pod pod, String job) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels != null && (job.equals(labels.get(JOB_NAME_LABEL)) || job.equals(labels.get(LEGACY_JOB_NAME_LABEL)));
  }

  private static String failureMessage(
      String job, JobCondition failed, RunnerResult result, Optional<Pod> pod) {
    if (result != null && result.getError() != null) {
      return result.getError();
    }
    if ("DeadlineExceeded".equals(failed.getReason())) {
      return "Job " + job + " ran past its deadline (the step's timeout) and was stopped";
    }
    Optional<String> log = pod.flatMap(KubernetesJobLauncher::terminationMessage);
    String why = failed.getMessage() != null ? failed.getMessage() : failed.getReason();
    return "Job " + job + " failed: " + log.map(KubernetesJobLauncher::lastLine).orElse(why);
  }

  /**
   * A Job that failed for its pod's failure (not its deadline) with no result from the runner,
   * whose pod is gone, being deleted, or shows its container killed (exit code 137: SIGKILL).
   */
  private static boolean killedBeforeReporting(JobCondition failed, Optional<Pod> pod) {
    if ("DeadlineExceeded".equals(failed.getReason())) {
      return false;
    }
    return pod.isEmpty() || pod.get().getMetadata().getDeletionTimestamp() != null
        || runnerStatus(pod.get()).map(ContainerStatus::getState).map(state -> state.getTerminated())
            .map(terminated -> terminated.getExitCode() != null && terminated.getExitCode() == 137).orElse(false);
  }

  private static Optional<String> terminationMessage(Pod pod) {
    return runnerStatus(pod)
        .map(ContainerStatus::getState)
        .map(state -> state.getTerminated())
        .map(ContainerStateTerminated::getMessage)
        .filter(m -> !m.isBlank());
  }

  /** Whether the pod, as cached, shows its runner ended (or the whole pod ended). */
  private static boolean ended(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase)
        || runnerStatus(pod).map(ContainerStatus::getState).map(state -> state.getTerminated()).isPresent();
  }

  private static Optional<ContainerStatus> runnerStatus(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getContainerStatuses().stream()
        .filter(s -> RunnerJobFactory.RUNNER_CONTAINER.equals(s.getName()))
        .findFirst();
  }

  private static Optional<RunnerResult> parseResult(String message) {
    try {
      return Optional.of(RunnerResult.parse(message));
    } catch (IllegalArgumentException notJson) {
      // FallbackToLogsOnError put the log tail there instead: the runner died before reporting.
      return Optional.empty();
    }
  }

  private static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    return lines[lines.length - 1];
  }

  private boolean completedWithin(JobCondition complete, Duration wait) {
    String at = complete.getLastTransitionTime();
    return at != null && Duration.between(Instant.parse(at), clock.instant()).compareTo(wait) < 0;
  }

  private static boolean hasCondition(Job job, String type) {
    return condition(job, type).isPresent();
  }

  private static Optional<JobCondition> condition(Job job, String type) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return job.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
        .findFirst();
  }
}
