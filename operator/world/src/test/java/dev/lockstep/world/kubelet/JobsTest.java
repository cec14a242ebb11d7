package dev.lockstep.world.kubelet;

import static dev.lockstep.world.kubelet.JobManifests.SCRIPTS_IMAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.world.KubernetesWorld;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an operator sees through the API when the simulated node runs its Jobs. */
class JobsTest {

  private static final AtomicInteger NAMESPACES = new AtomicInteger();
  private static KubernetesWorld world;
  private static KubernetesClient client;
  private static SimulatedKubelet kubelet;
  private static final FakeRunner runner = new FakeRunner();

  @TempDir
  static Path imageFiles;

  @BeforeAll
  static void start() throws Exception {
    world = KubernetesWorld.start();
    client = world.newClient();
    Files.writeString(imageFiles.resolve("V1__from_image.sql"), "CREATE TABLE t (id int);");
    ImageCatalog images = new ImageCatalog()
        .registerEntrypoint("ghcr.io/lockstep-dev/lockstep", runner)
        .registerFiles(SCRIPTS_IMAGE, "/migrations", imageFiles);
    kubelet = SimulatedKubelet.start(world.client(), images);
  }

  @AfterAll
  static void stop() {
    kubelet.close();
    world.close();
  }

  private static String namespace() {
    String namespace = "jobs-" + NAMESPACES.incrementAndGet();
    client.resource(JobManifests.databaseSecret(namespace)).create();
    client.resource(JobManifests.scripts(namespace)).create();
    return namespace;
  }

  static Job awaitFinished(String namespace, String name) {
    await().atMost(Duration.ofSeconds(20)).until(() -> JobController.finished(job(namespace, name)));
    return job(namespace, name);
  }

  static Job job(String namespace, String name) {
    return client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
  }

  static Pod onlyPod(String namespace, String job) {
    List<Pod> pods = client.pods().inNamespace(namespace).withLabel("job-name", job).list().getItems();
    assertThat(pods).hasSize(1);
    return pods.get(0);
  }

  private static List<String> conditions(Job job) {
    return job.getStatus().getConditions().stream().map(c -> c.getType() + "/" + c.getReason()).toList();
  }

  @Test
  void aFinishedJobsPodStaysWhileTheJobDoesAndIsCollectedOnceItIsDeleted() {
    String ns = namespace();
    client.resource(JobManifests.runnerJob(ns, "collected", "migrate", "--to", "2").build()).create();
    awaitFinished(ns, "collected");
    String pod = onlyPod(ns, "collected").getMetadata().getName();

    // Several sweeps (one a second) see the pod's Job in the cache: the pod stays.
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
        .until(() -> client.pods().inNamespace(ns).withName(pod).get() != null);

    client.batch().v1().jobs().inNamespace(ns).withName("collected").withPropagationPolicy(
        io.fabric8.kubernetes.api.model.DeletionPropagation.ORPHAN).delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> client.pods().inNamespace(ns).withName(pod).get() == null);
  }

  @Test
  void aJobRunsItsEntrypointWithSecretEnvAndConfigMapScriptsAndCompletes() {
    String ns = namespace();
    Job created = client.resource(JobManifests.runnerJob(ns, "expand", "migrate", "--to", "2").build()).create();

    Job job = awaitFinished(ns, "expand");

    assertThat(conditions(job)).containsExactly(
        "SuccessCriteriaMet/CompletionsReached", "Complete/CompletionsReached");
    assertThat(job.getStatus().getConditions()).allMatch(c -> "True".equals(c.getStatus()));
    assertThat(job.getStatus().getSucceeded()).isEqualTo(1);
    assertThat(job.getStatus().getFailed()).isNull();
    assertThat(job.getStatus().getActive()).isNull();
    assertThat(job.getStatus().getStartTime()).isNotNull();
    assertThat(job.getStatus().getCompletionTime()).isNotNull();

    Pod pod = onlyPod(ns, "expand");
    assertThat(pod.getMetadata().getName()).matches("expand-[bcdfghjklmnpqrstvwxz2456789]{5}");
    assertThat(pod.getMetadata().getLabels())
        .containsEntry("job-name", "expand")
        .containsEntry("batch.kubernetes.io/job-name", "expand")
        .containsEntry("controller-uid", created.getMetadata().getUid())
        .containsEntry("batch.kubernetes.io/controller-uid", created.getMetadata().getUid())
        .containsEntry("lockstep.dev/step", "expand");
    assertThat(pod.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(owner -> {
          assertThat(owner.getKind()).isEqualTo("Job");
          assertThat(owner.getUid()).isEqualTo(created.getMetadata().getUid());
          assertThat(owner.getController()).isTrue();
        });
    assertThat(pod.getStatus().getPhase()).isEqualTo("Succeeded");
    ContainerStateTerminated terminated = pod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
    assertThat(terminated.getExitCode()).isZero();
    assertThat(terminated.getReason()).isEqualTo("Completed");
    assertThat(terminated.getMessage()).isEqualTo(
        "{\"url\":\"jdbc:postgresql://localhost:5432/orders\",\"user\":\"orders\","
            + "\"scripts\":\"V1__create_orders.sql,V2__add_currency.sql\"}");
    assertThat(terminated.getStartedAt()).isNotNull();
    assertThat(terminated.getFinishedAt()).isNotNull();
    assertThat(kubelet.logs(ns, pod.getMetadata().getName())).contains("runner saw 2 scripts");
    assertThat(runner.argsSeen).contains("migrate --to 2");
  }

  @Test
  void aFailingContainerFailsTheJobWithBackoffLimitExceededAndItsLogAsMessage() {
    String ns = namespace();
    client.resource(JobManifests.runnerJob(ns, "broken",
        "--exit", "3", "--message", "", "--say", "ERROR: relation exists").build()).create();

    Job job = awaitFinished(ns, "broken");

    assertThat(conditions(job)).containsExactly(
        "FailureTarget/BackoffLimitExceeded", "Failed/BackoffLimitExceeded");
    assertThat(job.getStatus().getConditions()).extracting(JobCondition::getMessage)
        .containsOnly("Job has reached the specified backoff limit");
    assertThat(job.getStatus().getFailed()).isEqualTo(1);
    assertThat(job.getStatus().getCompletionTime()).isNull();
    Pod pod = onlyPod(ns, "broken");
    assertThat(pod.getStatus().getPhase()).isEqualTo("Failed");
    ContainerStateTerminated terminated = pod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
    assertThat(terminated.getExitCode()).isEqualTo(3);
    assertThat(terminated.getReason()).isEqualTo("Error");
    // FallbackToLogsOnError with an empty termination file: the log's last lines.
    assertThat(terminated.getMessage()).isEqualTo("ERROR: relation exists\nrunner saw 2 scripts");
  }

  @Test
  void aMissingSecretKeepsThePodPendingLikeKubernetesUntilTheSecretAppears() {
    String ns = "jobs-" + NAMESPACES.incrementAndGet();
    client.resource(JobManifests.scripts(ns)).create();
    client.resource(JobManifests.runnerJob(ns, "no-secret").build()).create();

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      ContainerStateWaiting waiting = waiting(onlyPod(ns, "no-secret"));
      assertThat(waiting.getReason()).isEqualTo("CreateContainerConfigError");
      assertThat(waiting.getMessage()).isEqualTo("secret \"orders-db\" not found");
    });
    Pod pending = onlyPod(ns, "no-secret");
    assertThat(pending.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(JobController.finished(job(ns, "no-secret"))).isFalse();
    assertThat(job(ns, "no-secret").getStatus().getActive()).isEqualTo(1);

    client.resource(new SecretBuilder(JobManifests.databaseSecret(ns))
        .withData(Map.of()).withStringData(Map.of("url", "jdbc:postgresql://db/orders")).build())
        .create();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(waiting(onlyPod(ns, "no-secret")).getMessage()).isEqualTo("couldn't find key username in Secret " + ns + "/orders-db"));

    client.secrets().inNamespace(ns).withName("orders-db").delete();
    client.resource(JobManifests.databaseSecret(ns)).create();
    assertThat(conditions(awaitFinished(ns, "no-secret"))).contains("Complete/CompletionsReached");
  }

  @Test
  void anInitContainerCopiesScriptsOutOfARegisteredImage() {
    String ns = namespace();
    client.resource(JobManifests.imageScriptsJob(ns, "from-image", SCRIPTS_IMAGE)).create();

    Job job = awaitFinished(ns, "from-image");

    assertThat(conditions(job)).contains("Complete/CompletionsReached");
    Pod pod = onlyPod(ns, "from-image");
    assertThat(pod.getStatus().getInitContainerStatuses()).singleElement().satisfies(init -> {
      assertThat(init.getName()).isEqualTo("copy-scripts");
      assertThat(init.getState().getTerminated().getReason()).isEqualTo("Completed");
    });
    assertThat(pod.getStatus().getContainerStatuses().get(0).getState().getTerminated().getMessage())
        .contains("\"scripts\":\"V1__from_image.sql\"");
  }

  @Test
  void anImageTheCatalogDoesNotHaveCannotBePulled() {
    String ns = namespace();
    client.resource(JobManifests.imageScriptsJob(ns, "unknown-image", "registry.example.com/orders-migrations:9.9.9"))
        .create();

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Pod pod = onlyPod(ns, "unknown-image");
      assertThat(pod.getStatus()).isNotNull();
      ContainerStateWaiting waiting = pod.getStatus().getInitContainerStatuses().get(0).getState().getWaiting();
      assertThat(waiting.getReason()).isEqualTo("ErrImagePull");
      assertThat(waiting.getMessage()).contains("registry.example.com/orders-migrations:9.9.9");
      assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
    });
  }

  @Test
  void aJobPastItsDeadlineFailsWithDeadlineExceededAndItsPodIsDeleted() {
    String ns = namespace();
    KubeletFaults.JobHold hold = kubelet.faults().holdJobs(KubeletFaults.jobNamed("slow"));
    try {
      client.resource(JobManifests.runnerJob(ns, "slow").editSpec().withActiveDeadlineSeconds(1L).endSpec().build())
          .create();

      Job job = awaitFinished(ns, "slow");

      assertThat(conditions(job)).containsExactly("FailureTarget/DeadlineExceeded", "Failed/DeadlineExceeded");
      assertThat(job.getStatus().getConditions().get(1).getMessage())
          .isEqualTo("Job was active longer than specified deadline");
      assertThat(job.getStatus().getFailed()).isEqualTo(1);
      await().atMost(Duration.ofSeconds(5)).until(() ->
          client.pods().inNamespace(ns).withLabel("job-name", "slow").list().getItems().isEmpty());
    } finally {
      hold.release();
    }
  }

  @Test
  void heldJobsRunInParallelAndFinishWhenReleased() {
    String ns = namespace();
    KubeletFaults.JobHold hold =
        kubelet.faults().holdJobs(KubeletFaults.jobLabelled("lockstep.dev/migration", "orders-currency"));
    client.resource(JobManifests.runnerJob(ns, "first").build()).create();
    client.resource(JobManifests.runnerJob(ns, "second").build()).create();

    await().atMost(Duration.ofSeconds(10)).until(() -> hold.heldJobs().size() == 2);
    assertThat(hold.heldJobs()).containsExactlyInAnyOrder(ns + "/first", ns + "/second");
    for (String name : List.of("first", "second")) {
      Pod pod = onlyPod(ns, name);
      assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
      assertThat(pod.getStatus().getContainerStatuses().get(0).getState().getRunning()).isNotNull();
      assertThat(job(ns, name).getStatus().getActive()).isEqualTo(1);
    }

    hold.release();

    assertThat(conditions(awaitFinished(ns, "first"))).contains("Complete/CompletionsReached");
    assertThat(conditions(awaitFinished(ns, "second"))).contains("Complete/CompletionsReached");
  }

  @Test
  void aPlannedFailureWithoutRunningReportsItsMessageAndNeverCallsTheEntrypoint() {
    String ns = namespace();
    int runsBefore = runner.runs.get();
    kubelet.faults().failNextJob(KubeletFaults.jobNamed("doomed"), "{\"ok\":false,\"error\":\"injected\"}");
    client.resource(JobManifests.runnerJob(ns, "doomed", "--say", "doomed ran").build()).create();

    Job job = awaitFinished(ns, "doomed");

    assertThat(conditions(job)).contains("Failed/BackoffLimitExceeded");
    ContainerStateTerminated terminated = onlyPod(ns, "doomed").getStatus().getContainerStatuses().get(0)
        .getState().getTerminated();
    assertThat(terminated.getExitCode()).isEqualTo(1);
    assertThat(terminated.getMessage()).isEqualTo("{\"ok\":false,\"error\":\"injected\"}");
    assertThat(kubelet.logs(ns, onlyPod(ns, "doomed").getMetadata().getName())).doesNotContain("doomed ran");

    client.resource(JobManifests.runnerJob(ns, "doomed-again").build()).create();
    assertThat(conditions(awaitFinished(ns, "doomed-again"))).contains("Complete/CompletionsReached");
    assertThat(runner.runs.get()).isGreaterThan(runsBefore);
  }

  @Test
  void aPlannedFailureAfterRunningDoesTheWorkThenFails() {
    String ns = namespace();
    kubelet.faults().failNextJobAfterRunning(KubeletFaults.jobNamed("lost-result"), "runner killed");
    client.resource(JobManifests.runnerJob(ns, "lost-result", "--say", "work done").build()).create();

    Job job = awaitFinished(ns, "lost-result");

    assertThat(conditions(job)).contains("Failed/BackoffLimitExceeded");
    Pod pod = onlyPod(ns, "lost-result");
    assertThat(kubelet.logs(ns, pod.getMetadata().getName())).contains("work done");
    assertThat(pod.getStatus().getContainerStatuses().get(0).getState().getTerminated().getMessage())
        .isEqualTo("runner killed");
  }

  @Test
  void aTerminationMessageIsCappedAt4096Bytes() {
    String ns = namespace();
    client.resource(JobManifests.runnerJob(ns, "chatty", "--message", "x".repeat(5000)).build()).create();

    awaitFinished(ns, "chatty");

    assertThat(onlyPod(ns, "chatty").getStatus().getContainerStatuses().get(0).getState().getTerminated()
        .getMessage()).hasSize(4096);
  }

  private static ContainerStateWaiting waiting(Pod pod) {
    assertThat(pod.getStatus()).isNotNull();
    ContainerStateWaiting waiting = pod.getStatus().getContainerStatuses().get(0).getState().getWaiting();
    assertThat(waiting).isNotNull();
    return waiting;
  }

}
