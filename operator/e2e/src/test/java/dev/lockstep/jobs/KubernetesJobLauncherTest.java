package dev.lockstep.jobs;

import static dev.lockstep.reconcile.Migrations.migration;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.SchemaMigration;
import dev.lockstep.cache.FakeCache;
import dev.lockstep.protocol.RunnerResult;
import dev.lockstep.world.KubernetesWorld;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The launcher against the in-process API server for its one write, and fake informer caches for
 * its reads: a Job is created once, adopted on a repeat, and its outcome read from the caches alone.
 */
class KubernetesJobLauncherTest {

  private KubernetesWorld world;
  private final FakeCache<Job> jobs = new FakeCache<>();
  private final FakeCache<Pod> pods = new FakeCache<>();
  private JobLauncher launcher;
  private final SchemaMigration migration = migration();

  @BeforeEach
  void start() {
    world = KubernetesWorld.start();
    launcher = new KubernetesJobLauncher(world.newClient(), new RunnerJobFactory("runner:1", null), jobs, pods);
  }

  @AfterEach
  void stop() {
    world.close();
  }

  private RunnerJobRequest request() {
    return new RunnerJobRequest(migration, "expand", RunnerJobRequest.DO, 1, List.of("migrate", "--to", "2"),
        Duration.ofMinutes(5));
  }

  @Test
  void aJobJustCreatedIsSeenRunningBeforeAnyWatchEventArrives() {
    launcher.launch(request());

    assertThat(world.client().batch().v1().jobs().inNamespace("shop").withName("orders-currency-expand-1").get())
        .as("created in the API").isNotNull();
    assertThat(jobs.handedBack()).extracting(j -> j.getMetadata().getName()).containsExactly("orders-currency-expand-1");
    assertThat(launcher.state("shop", "orders-currency-expand-1").phase()).isEqualTo(JobState.Phase.RUNNING);
  }

  @Test
  void aSecondLaunchAdoptsTheJobInsteadOfRunningTheStepTwice() {
    launcher.launch(request());
    launcher.launch(request());

    assertThat(world.client().batch().v1().jobs().inNamespace("shop").list().getItems()).hasSize(1);
    assertThat(jobs.handedBack()).hasSize(1);
  }

  @Test
  void stateReadsOnlyTheCaches() {
    jobs.put(job("orders-currency-expand-1", "Complete", null, null));
    pods.put(pod("orders-currency-expand-1-abcde", "orders-currency-expand-1", "2026-01-01T00:00:00Z",
        result("2")));
    world.requestLog().start();

    JobState state = launcher.state("shop", "orders-currency-expand-1");
    JobState missing = launcher.state("shop", "orders-currency-expand-2");

    world.requestLog().stop();
    assertThat(world.requestLog().requests()).as("no request to the API server").isEmpty();
    assertThat(state.phase()).isEqualTo(JobState.Phase.SUCCEEDED);
    assertThat(state.result().getVersionAfter()).isEqualTo("2");
    assertThat(missing.phase()).isEqualTo(JobState.Phase.MISSING);
  }

  @Test
  void aCompleteJobWhosePodIsNotSeenEndedYetWaitsForTheRunnersReport() {
    jobs.put(job("orders-currency-expand-1", "Complete", null, null));
    pods.put(pod("orders-currency-expand-1-abcde", "orders-currency-expand-1", "2026-01-01T00:00:00Z", null));

    JobState behind = launcher.state("shop", "orders-currency-expand-1");
    pods.put(pod("orders-currency-expand-1-abcde", "orders-currency-expand-1", "2026-01-01T00:00:00Z", result("2")));
    JobState caughtUp = launcher.state("shop", "orders-currency-expand-1");

    assertThat(behind.phase()).as("the pod cache is behind the Job's").isEqualTo(JobState.Phase.RUNNING);
    assertThat(caughtUp.phase()).isEqualTo(JobState.Phase.SUCCEEDED);
    assertThat(caughtUp.result().getVersionAfter()).isEqualTo("2");
  }

  @Test
  void aCompleteJobWhosePodIsNotInTheCacheYetWaitsForTheReportThenGoesOnWithoutIt() {
    java.time.Instant now = java.time.Instant.parse("2026-01-01T00:01:00Z");
    JobLauncher launcher = new KubernetesJobLauncher(world.newClient(), new RunnerJobFactory("runner:1", null), jobs,
        pods, new KubernetesJobEvents(world.newClient()), java.time.Clock.fixed(now, java.time.ZoneOffset.UTC));
    Job complete = job("orders-currency-expand-1", "Complete", null, null);
    complete.getStatus().getConditions().get(0).setLastTransitionTime("2026-01-01T00:00:50Z");
    jobs.put(complete);

    JobState podNotListedYet = launcher.state("shop", "orders-currency-expand-1");
    pods.put(pod("orders-currency-expand-1-abcde", "orders-currency-expand-1", "2026-01-01T00:00:00Z", result("2")));
    JobState listed = launcher.state("shop", "orders-currency-expand-1");
    pods.remove("shop", "orders-currency-expand-1-abcde");
    complete.getStatus().getConditions().get(0).setLastTransitionTime("2026-01-01T00:00:20Z");
    jobs.put(complete);
    JobState podGoneLongAgo = launcher.state("shop", "orders-currency-expand-1");

    assertThat(podNotListedYet.phase()).as("completed 10s ago, its pod not cached yet").isEqualTo(JobState.Phase.RUNNING);
    assertThat(listed.phase()).isEqualTo(JobState.Phase.SUCCEEDED);
    assertThat(listed.result().getVersionAfter()).isEqualTo("2");
    assertThat(podGoneLongAgo.phase()).as("completed 40s ago, its pod deleted").isEqualTo(JobState.Phase.SUCCEEDED);
    assertThat(podGoneLongAgo.result()).isNull();
  }

  @Test
  void aFailedJobSaysWhatTheRunnerReportedFromItsNewestPod() {
    jobs.put(job("orders-currency-expand-1", "Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit"));
    RunnerResult failed = result(null);
    failed.setError("V2__add.sql failed: relation \"nowhere\" does not exist (SQLSTATE 42P01)");
    pods.put(pod("orders-currency-expand-1-older", "orders-currency-expand-1", "2026-01-01T00:00:00Z",
        result("1")));
    pods.put(pod("orders-currency-expand-1-newer", "orders-currency-expand-1", "2026-01-01T00:01:00Z",
        failed));
    pods.put(pod("orders-currency-fill-1-other", "orders-currency-fill-1", "2026-01-01T00:02:00Z",
        result("3")));

    JobState state = launcher.state("shop", "orders-currency-expand-1");

    assertThat(state.phase()).isEqualTo(JobState.Phase.FAILED);
    assertThat(state.message()).isEqualTo("V2__add.sql failed: relation \"nowhere\" does not exist (SQLSTATE 42P01)");
  }

  @Test
  void aFailedJobWhosePodIsNotSeenEndedYetWaitsForTheRunnersReport() {
    jobs.put(job("orders-currency-expand-1", "Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit"));
    pods.put(pod("orders-currency-expand-1-abcde", "orders-currency-expand-1", "2026-01-01T00:00:00Z", null));

    assertThat(launcher.state("shop", "orders-currency-expand-1").phase()).isEqualTo(JobState.Phase.RUNNING);
  }

  @Test
  void aFailedJobWhosePodWasDeletedBeforeTheRunnerReportedWasKilled() {
    jobs.put(job("orders-currency-fill-1", "Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit"));

    JobState gone = launcher.state("shop", "orders-currency-fill-1");

    assertThat(gone.phase()).isEqualTo(JobState.Phase.FAILED);
    assertThat(gone.killed()).isTrue();
    assertThat(gone.interrupted()).isTrue();
    assertThat(gone.message()).contains("its pod was terminated");

    pods.put(new PodBuilder(pod("orders-currency-fill-1-abcde", "orders-currency-fill-1", "2026-01-01T00:00:00Z", null))
        .editStatus().withPhase("Failed").addNewContainerStatus().withName(RunnerJobFactory.RUNNER_CONTAINER)
        .withNewState().withNewTerminated().withExitCode(137).withReason("Error").endTerminated().endState()
        .endContainerStatus().endStatus().build());
    assertThat(launcher.state("shop", "orders-currency-fill-1").interrupted()).as("SIGKILL, exit code 137").isTrue();
  }

  @Test
  void aRunnerStoppedBySigtermSaysSoInItsResultAndAFailureThatIsNotAKillIsNotAnInterruption() {
    jobs.put(job("orders-currency-fill-1", "Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit"));
    RunnerResult stopped = result(null);
    stopped.setError("interrupted after 2500 rows in 5 batches; run again to continue from checkpoint c1");
    stopped.setInterrupted(true);
    pods.put(pod("orders-currency-fill-1-abcde", "orders-currency-fill-1", "2026-01-01T00:00:00Z", stopped));

    JobState state = launcher.state("shop", "orders-currency-fill-1");

    assertThat(state.killed()).isFalse();
    assertThat(state.interrupted()).isTrue();

    RunnerResult failed = result(null);
    failed.setError("batch 3 of orders failed: division by zero (SQLSTATE 22012)");
    pods.put(pod("orders-currency-fill-1-abcde", "orders-currency-fill-1", "2026-01-01T00:00:00Z", failed));
    assertThat(launcher.state("shop", "orders-currency-fill-1").interrupted()).isFalse();
    jobs.put(job("orders-currency-fill-1", "Failed", "DeadlineExceeded", "Job was active longer than specified deadline"));
    pods.put(pod("orders-currency-fill-1-abcde", "orders-currency-fill-1", "2026-01-01T00:00:00Z", null));
    assertThat(launcher.state("shop", "orders-currency-fill-1").interrupted()).as("its deadline, not a kill").isFalse();
  }

  @Test
  void aJobPastItsDeadlineSaysSo() {
    jobs.put(job("orders-currency-expand-1", "Failed", "DeadlineExceeded", "Job was active longer than specified deadline"));

    JobState state = launcher.state("shop", "orders-currency-expand-1");

    assertThat(state.phase()).isEqualTo(JobState.Phase.FAILED);
    assertThat(state.message()).contains("ran past its deadline");
  }

  @Test
  void aRunningJobWhosePodCannotStartSaysWhy() {
    jobs.put(job("orders-currency-expand-1", null, null, null));
    pods.put(new PodBuilder(pod("orders-currency-expand-1-abcde", "orders-currency-expand-1", "2026-01-01T00:00:00Z",
        null))
        .editStatus().addNewContainerStatus().withName(RunnerJobFactory.RUNNER_CONTAINER)
        .withNewState().withNewWaiting().withReason("CreateContainerConfigError")
        .withMessage("secret \"orders-db\" not found").endWaiting().endState().endContainerStatus().endStatus().build());

    JobState state = launcher.state("shop", "orders-currency-expand-1");

    assertThat(state.phase()).isEqualTo(JobState.Phase.RUNNING);
    assertThat(state.message()).isEqualTo("CreateContainerConfigError: secret \"orders-db\" not found");
  }

  @Test
  void aScriptsImageThatCannotBePulledIsNamedNotThePodInitializingRunner() {
    jobs.put(job("orders-currency-expand-1", null, null, null));
    pods.put(new PodBuilder(pod("orders-currency-expand-1-abcde", "orders-currency-expand-1", "2026-01-01T00:00:00Z",
        null))
        .editStatus()
        .addNewInitContainerStatus().withName(RunnerJobFactory.COPY_CONTAINER).withNewState().withNewWaiting()
        .withReason("ImagePullBackOff").withMessage("Back-off pulling image \"registry.example.com/m:9\"")
        .endWaiting().endState().endInitContainerStatus()
        .addNewContainerStatus().withName(RunnerJobFactory.RUNNER_CONTAINER).withNewState().withNewWaiting()
        .withReason("PodInitializing").endWaiting().endState().endContainerStatus().endStatus().build());

    JobState state = launcher.state("shop", "orders-currency-expand-1");

    assertThat(state.message()).isEqualTo("init container copy-scripts (it copies the scripts out of"
        + " spec.scripts.image) cannot start, so the runner waits (PodInitializing): ImagePullBackOff: Back-off pulling"
        + " image \"registry.example.com/m:9\"; check spec.scripts.image.name, that the registry is reachable, and the"
        + " pull secrets (runner.imagePullSecrets)");
  }

  @Test
  void aRunnerImageThatCannotBePulledSaysWhereToLookAndAStartingPodSaysNothing() {
    jobs.put(job("orders-currency-expand-1", null, null, null));
    pods.put(runnerWaiting("orders-currency-expand-1-abcde", "ErrImagePull", "pull access denied for runner"));
    JobState pulling = launcher.state("shop", "orders-currency-expand-1");
    pods.put(runnerWaiting("orders-currency-expand-1-abcde", "ContainerCreating", null));
    JobState starting = launcher.state("shop", "orders-currency-expand-1");

    assertThat(pulling.message()).startsWith("the runner image cannot be pulled: ErrImagePull: pull access denied for"
        + " runner; check the operator's runner image");
    assertThat(starting.message()).isNull();
  }

  @Test
  void aJobWithoutAPodForAWhileSaysWhyFromItsFailedCreateEvent() {
    java.time.Instant now = java.time.Instant.parse("2026-01-01T00:01:00Z");
    JobLauncher withEvents = new KubernetesJobLauncher(world.newClient(), new RunnerJobFactory("runner:1", null), jobs,
        pods, new KubernetesJobEvents(world.newClient()), java.time.Clock.fixed(now, java.time.ZoneOffset.UTC));
    Job refused = job("orders-currency-expand-1", null, null, null);
    refused.getMetadata().setCreationTimestamp("2026-01-01T00:00:20Z");
    jobs.put(refused);
    world.client().v1().events().inNamespace("shop").resource(new io.fabric8.kubernetes.api.model.EventBuilder()
        .withNewMetadata().withName("orders-currency-expand-1.1").withNamespace("shop").endMetadata()
        .withNewInvolvedObject().withKind("Job").withName("orders-currency-expand-1").withNamespace("shop")
        .endInvolvedObject().withReason("FailedCreate").withType("Warning")
        .withMessage("Error creating: pods \"x\" is forbidden: exceeded quota: compute, requested: cpu=100m")
        .withLastTimestamp("2026-01-01T00:00:30Z").build()).create();

    JobState state = withEvents.state("shop", "orders-currency-expand-1");
    refused.getMetadata().setCreationTimestamp("2026-01-01T00:00:50Z");
    jobs.put(refused);
    JobState young = withEvents.state("shop", "orders-currency-expand-1");

    assertThat(state.message()).startsWith("no pod was created for Job orders-currency-expand-1 in 40s: FailedCreate:"
        + " Error creating: pods \"x\" is forbidden: exceeded quota: compute, requested: cpu=100m");
    assertThat(young.message()).as("a Job only 10s old is given time").isNull();
  }

  private static Pod runnerWaiting(String name, String reason, String message) {
    return new PodBuilder(pod(name, "orders-currency-expand-1", "2026-01-01T00:00:00Z", null))
        .editStatus().addNewContainerStatus().withName(RunnerJobFactory.RUNNER_CONTAINER).withNewState()
        .withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState().endContainerStatus()
        .endStatus().build();
  }

  private static RunnerResult result(String versionAfter) {
    RunnerResult result = new RunnerResult();
    result.setCommand("migrate");
    result.setVersionBefore("1");
    result.setVersionAfter(versionAfter);
    return result;
  }

  private static Job job(String name, String condition, String reason, String message) {
    JobBuilder job = new JobBuilder().withNewMetadata().withName(name).withNamespace("shop").endMetadata()
        .withNewStatus().endStatus();
    if (condition != null) {
      job.editStatus().addNewCondition().withType(condition).withStatus("True").withReason(reason)
          .withMessage(message).endCondition().endStatus();
    }
    return job.build();
  }

  private static Pod pod(String name, String job, String created, RunnerResult terminatedWith) {
    PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).withNamespace("shop")
        .withCreationTimestamp(created)
        .addToLabels(KubernetesJobLauncher.JOB_NAME_LABEL, job).addToLabels(KubernetesJobLauncher.LEGACY_JOB_NAME_LABEL, job)
        .endMetadata().withNewStatus().endStatus();
    if (terminatedWith != null) {
      pod.editStatus().addNewContainerStatus().withName(RunnerJobFactory.RUNNER_CONTAINER)
          .withNewState().withNewTerminated().withExitCode(0).withMessage(terminatedWith.toTerminationMessage())
          .endTerminated().endState().endContainerStatus().endStatus();
    }
    return pod.build();
  }
}
