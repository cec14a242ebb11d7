package dev.lockstep.world.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.world.KubernetesWorld;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A kubelet that stops and a new one that takes over never runs a Job's pod twice. */
class KubeletRestartTest {

  private KubernetesWorld world;
  private KubernetesClient client;
  private final FakeRunner runner = new FakeRunner();
  private SimulatedKubelet kubelet;

  @BeforeEach
  void start() {
    world = KubernetesWorld.start();
    client = world.newClient();
    kubelet = newKubelet();
    client.resource(JobManifests.databaseSecret("restart")).create();
    client.resource(JobManifests.scripts("restart")).create();
  }

  @AfterEach
  void stop() {
    kubelet.close();
    world.close();
  }

  private SimulatedKubelet newKubelet() {
    return SimulatedKubelet.start(world.client(),
        new ImageCatalog().registerEntrypoint("ghcr.io/lockstep-dev/lockstep", runner));
  }

  private void restartKubelet() {
    kubelet.close();
    kubelet = newKubelet();
  }

  private Job awaitFinished(String name) {
    await().atMost(Duration.ofSeconds(20)).until(() ->
        JobController.finished(client.batch().v1().jobs().inNamespace("restart").withName(name).get()));
    return client.batch().v1().jobs().inNamespace("restart").withName(name).get();
  }

  private List<Pod> pods(String job) {
    return client.pods().inNamespace("restart").withLabel("job-name", job).list().getItems();
  }

  @Test
  void aCompletedJobIsNotRunAgainByTheNextKubelet() throws Exception {
    client.resource(JobManifests.runnerJob("restart", "done").build()).create();
    awaitFinished("done");
    assertThat(runner.runs.get()).isEqualTo(1);

    restartKubelet();
    Thread.sleep(1500); // a resync of the new kubelet's controllers

    assertThat(runner.runs.get()).isEqualTo(1);
    assertThat(pods("done")).hasSize(1);
    assertThat(awaitFinished("done").getStatus().getSucceeded()).isEqualTo(1);
  }

  @Test
  void aJobWhoseContainerDiedWithItsKubeletFailsInsteadOfRunningTwice() {
    KubeletFaults.JobHold hold = kubelet.faults().holdJobs(KubeletFaults.jobNamed("interrupted"));
    client.resource(JobManifests.runnerJob("restart", "interrupted").build()).create();
    await().atMost(Duration.ofSeconds(10)).until(() -> hold.heldJobs().contains("restart/interrupted"));

    restartKubelet();

    Job job = awaitFinished("interrupted");
    assertThat(job.getStatus().getConditions()).extracting(c -> c.getType() + "/" + c.getReason())
        .containsExactly("FailureTarget/BackoffLimitExceeded", "Failed/BackoffLimitExceeded");
    assertThat(pods("interrupted")).singleElement().satisfies(pod -> {
      assertThat(pod.getStatus().getPhase()).isEqualTo("Failed");
      ContainerStateTerminated terminated = pod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
      assertThat(terminated.getReason()).isEqualTo("ContainerStatusUnknown");
      assertThat(terminated.getExitCode()).isEqualTo(137);
    });
    assertThat(runner.runs.get()).isZero();
  }

  @Test
  void workloadPodsComeBackWithTheirAddressesAfterAKubeletRestart() {
    client.resource(new DeploymentBuilder()
        .withNewMetadata().withName("orders").withNamespace("restart").endMetadata()
        .withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", "orders").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "orders").endMetadata()
        .withNewSpec().addToContainers(new ContainerBuilder().withName("app").withImage("orders:1").build())
        .endSpec().endTemplate().endSpec().build()).create();
    await().atMost(Duration.ofSeconds(10)).until(() -> readyAddresses().size() == 2);
    List<String> before = readyAddresses();

    restartKubelet();

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      List<Pod> pods = client.pods().inNamespace("restart").withLabel("app", "orders").list().getItems();
      assertThat(pods).hasSize(2).allSatisfy(p ->
          assertThat(p.getStatus().getContainerStatuses().get(0).getRestartCount()).isEqualTo(1));
      assertThat(readyAddresses()).containsExactlyInAnyOrderElementsOf(before);
    });
  }

  @Test
  void closingTheKubeletStopsAllItsThreads() {
    client.resource(JobManifests.runnerJob("restart", "quick").build()).create();
    awaitFinished("quick");

    kubelet.close();

    await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.isAlive() && t.getName().startsWith("world-")));
    kubelet = newKubelet();
  }

  private List<String> readyAddresses() {
    return client.pods().inNamespace("restart").withLabel("app", "orders").list().getItems().stream()
        .filter(WorkloadPods::ready).map(p -> p.getStatus().getPodIP()).toList();
  }
}
