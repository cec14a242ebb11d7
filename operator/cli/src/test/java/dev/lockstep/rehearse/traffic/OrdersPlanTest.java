package dev.lockstep.rehearse.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The sample application's traffic against a fake of its API: what it sends, how it judges, the read-back. */
class OrdersPlanTest {

  private static final String LOOPBACK = "127.0.0.1";
  private static final Segment STEP = new Segment("default/m", "Progressing", "fill", false);

  @Test
  void everyAcknowledgedWriteReadsBackAndALostOrChangedOneIsCounted() throws Exception {
    try (FakeOrdersServer server = new FakeOrdersServer()) {
      OrdersPlan plan = new OrdersPlan(Duration.ofSeconds(30), server.port());
      TrafficRecorder recorder = new TrafficRecorder(Instant.now());
      try (OpenLoopDriver driver = OpenLoopDriver.start(plan, () -> List.of(LOOPBACK), () -> STEP, recorder, 100,
          Duration.ofSeconds(30))) {
        await().atMost(Duration.ofSeconds(30)).until(() -> server.orders.size() > 1040);
      }
      TrafficReport clean = recorder.report(100, "t", plan.description(), plan.verifyWrites(List.of(LOOPBACK)));
      assertThat(clean.total().failed()).as(clean.total().failures().toString()).isZero();
      assertThat(clean.writes().lost() + clean.writes().wrong() + clean.writes().unverified()).isZero();
      assertThat(clean.writes().records()).isGreaterThanOrEqualTo(40);
      assertThat(clean.writes().acknowledged()).isGreaterThan(clean.writes().records()); // updates too

      long[] written = server.orders.keySet().stream().filter(id -> id > 1000).mapToLong(Long::longValue).sorted().toArray();
      server.orders.remove(written[0]);
      server.orders.put(written[1], new BigDecimal("0.01"));

      WriteCheck check = plan.verifyWrites(List.of(LOOPBACK));
      assertThat(check.lost()).isEqualTo(1);
      assertThat(check.wrong()).isEqualTo(1);
      assertThat(plan.verifyWrites(List.of()).unverified()).isEqualTo(check.records());
    }
  }

  @Test
  void failuresAreCountedByKindAndAttributedToTheSegmentTheyWereDueIn() throws Exception {
    try (FakeOrdersServer server = new FakeOrdersServer()) {
      server.failEvery = 10;
      OrdersPlan plan = new OrdersPlan(Duration.ofSeconds(30), server.port());
      TrafficRecorder recorder = new TrafficRecorder(Instant.now());
      AtomicReference<List<String>> pods = new AtomicReference<>(List.of(LOOPBACK));
      AtomicReference<Segment> position = new AtomicReference<>(STEP);
      Segment undo = new Segment("default/m", "RollingBack", "fill", true);
      try (OpenLoopDriver driver = OpenLoopDriver.start(plan, pods::get, position::get, recorder, 100,
          Duration.ofSeconds(30))) {
        await().atMost(Duration.ofSeconds(30)).until(() -> server.requests.get() >= 50);
        position.set(undo);
        pods.set(List.of());
        await().atMost(Duration.ofSeconds(30)).until(() -> noReadyPod(recorder) >= 20);
      }
      TrafficReport report = recorder.report(100, "t", plan.description(), WriteCheck.NOT_CHECKED);

      Figures during = report.segments().get(0).figures();
      assertThat(report.segments().get(0).segment()).isEqualTo(STEP);
      // (A loaded machine may add timeouts; the server's 500s must be there, counted as such.)
      assertThat(during.failures()).containsKey("server-error").doesNotContainKey("no-ready-pod");
      assertThat(during.failed()).isPositive().isLessThan(during.requests() / 5 + 2);
      Figures after = report.segments().get(1).figures();
      assertThat(report.segments().get(1).segment()).isEqualTo(undo);
      assertThat(after.failures()).containsKey("no-ready-pod");
    }
  }

  @Test
  void aRefusedConnectionIsAConnectionFailure() throws Exception {
    int closedPort;
    try (FakeOrdersServer server = new FakeOrdersServer()) {
      closedPort = server.port();
    }
    OrdersPlan plan = new OrdersPlan(Duration.ofSeconds(2), closedPort);
    TrafficRecorder recorder = new TrafficRecorder(Instant.now());
    try (OpenLoopDriver driver = OpenLoopDriver.start(plan, () -> List.of(LOOPBACK), () -> STEP, recorder, 50,
        Duration.ofSeconds(2))) {
      await().atMost(Duration.ofSeconds(30)).until(
          () -> recorder.report(50, "t", "p", WriteCheck.NOT_CHECKED).total().failed() >= 5);
    }
    Map<String, Long> failures = recorder.report(50, "t", "p", WriteCheck.NOT_CHECKED).total().failures();
    assertThat(failures).containsOnlyKeys("connection");
  }

  private static long noReadyPod(TrafficRecorder recorder) {
    return recorder.report(1, "t", "p", WriteCheck.NOT_CHECKED).total().failures().getOrDefault("no-ready-pod", 0L);
  }
}
