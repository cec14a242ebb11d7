package dev.lockstep.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.cache.FakeCache;
import dev.lockstep.runner.backfill.ProgressEndpoint;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

/** The operator reads a running backfill's progress from its runner pod, over HTTP, not from the database. */
class HttpBackfillProgressTest {

  private final FakeCache<Pod> pods = new FakeCache<>();
  private final HttpBackfillProgress progress = new HttpBackfillProgress(pods);

  private static Pod runnerPod(String job, String phase, String ip, int port) {
    return new PodBuilder()
        .withNewMetadata().withName(job + "-abcde").withNamespace("shop")
        .addToLabels("batch.kubernetes.io/job-name", job).withCreationTimestamp("2026-11-24T10:00:00Z").endMetadata()
        .withNewSpec().addNewContainer().withName("runner")
        .addNewPort().withName("progress").withContainerPort(port).endPort().endContainer().endSpec()
        .withNewStatus().withPhase(phase).withPodIP(ip).endStatus()
        .build();
  }

  @Test
  void readsTheFiguresTheRunnerServesOnItsPodIp() {
    try (ProgressEndpoint endpoint = ProgressEndpoint.start("127.0.0.1", 0)) {
      endpoint.progress(12000, 52000L, 4100.4);
      pods.put(runnerPod("orders-fill-1", "Running", "127.0.0.1", endpoint.port()));

      assertThat(progress.describe("shop", "orders-fill-1")).contains("12000/52000 rows, 4100 rows/s");

      endpoint.throttled("SQL `SELECT lag` is 42, above the maximum 10");
      assertThat(progress.describe("shop", "orders-fill-1"))
          .contains("12000/52000 rows, 4100 rows/s, throttled: SQL `SELECT lag` is 42, above the maximum 10");

      endpoint.progress(13000, 52000L, 4000);
      assertThat(progress.describe("shop", "orders-fill-1")).as("the next batch clears the throttle")
          .contains("13000/52000 rows, 4000 rows/s");
    }
  }

  @Test
  void unknownWhenThePodHasNotStartedHasEndedOrDoesNotAnswer() throws Exception {
    int closedPort;
    try (ProgressEndpoint endpoint = ProgressEndpoint.start("127.0.0.1", 0)) {
      closedPort = endpoint.port();
    }
    pods.put(runnerPod("orders-fill-1", "Running", "127.0.0.1", closedPort));
    pods.put(runnerPod("orders-fill-2", "Pending", null, closedPort));
    pods.put(runnerPod("orders-fill-3", "Succeeded", "127.0.0.1", closedPort));

    assertThat(progress.describe("shop", "orders-fill-1")).as("nothing listens").isEmpty();
    assertThat(progress.describe("shop", "orders-fill-2")).as("no pod IP yet").isEmpty();
    assertThat(progress.describe("shop", "orders-fill-3")).as("ended: status shows the final figures").isEmpty();
    assertThat(progress.describe("shop", "orders-fill-9")).as("no pod").isEmpty();
  }
}
