package dev.lockstep.rehearse.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrafficRecorderTest {

  private static final Instant START = Instant.parse("2026-12-02T12:00:00Z");
  private static final Segment EXPAND = new Segment("default/orders", "Progressing", "expand", false);
  private static final Segment UNDO = new Segment("default/orders", "RollingBack", "expand", true);

  @Test
  void figuresArePerStepPerPhaseAndPerSecondWithFailuresByKind() {
    TrafficRecorder recorder = new TrafficRecorder(START);
    for (int i = 1; i <= 100; i++) {
      recorder.record(START.plusMillis(10L * i), EXPAND, Duration.ofMillis(i), null);
    }
    recorder.record(START.plusSeconds(3), UNDO, Duration.ofMillis(2000), FailureKind.SERVER_ERROR);
    recorder.record(START.plusSeconds(3), UNDO, Duration.ZERO, FailureKind.NO_READY_POD);
    recorder.record(START.plusSeconds(4), Segment.AFTER, Duration.ofMillis(5), null);

    TrafficReport report = recorder.report(50, "Deployment default/orders", "plan", WriteCheck.NOT_CHECKED);

    assertThat(report.segments()).extracting(s -> s.segment().label()).containsExactly("expand", "undo expand", "after");
    Figures expand = report.segments().get(0).figures();
    assertThat(expand.requests()).isEqualTo(100);
    assertThat(expand.failed()).isZero();
    assertThat(expand.p50Ms()).isCloseTo(50, within(0.5));
    assertThat(expand.p99Ms()).isCloseTo(99, within(0.5));
    assertThat(expand.maxMs()).isCloseTo(100, within(0.5));
    Figures undo = report.segments().get(1).figures();
    assertThat(undo.failed()).isEqualTo(2);
    assertThat(undo.failures()).containsExactlyInAnyOrderEntriesOf(Map.of("server-error", 1L, "no-ready-pod", 1L));
    // A request that never went out has no latency to count.
    assertThat(undo.maxMs()).isCloseTo(2000, within(2.0));
    assertThat(report.phases()).extracting(TrafficReport.PhaseFigures::phase)
        .containsExactly("orders Progressing", "orders RollingBack", "After");
    assertThat(report.total().requests()).isEqualTo(103);
    assertThat(report.seconds()).extracting(SecondFigures::second).containsExactly(0L, 1L, 3L, 4L);
    assertThat(report.segments().get(0).startSeconds()).isCloseTo(0.01, within(0.001));
    assertThat(report.segments().get(0).endSeconds()).isCloseTo(1.0, within(0.001));
  }

  @Test
  void theFailureRatioLooksAtTheRecentWindowOnly() {
    TrafficRecorder recorder = new TrafficRecorder(START);
    recorder.record(START.plusSeconds(1), EXPAND, Duration.ofMillis(1), FailureKind.TIMEOUT);
    for (int i = 0; i < 4; i++) {
      recorder.record(START.plusSeconds(20), EXPAND, Duration.ofMillis(1), i == 0 ? FailureKind.CONNECTION : null);
    }

    assertThat(recorder.failureRatio(START.plusSeconds(2), Duration.ofSeconds(10))).isEqualTo(1.0);
    assertThat(recorder.failureRatio(START.plusSeconds(21), Duration.ofSeconds(10))).isEqualTo(0.25);
    assertThat(recorder.failureRatio(START.plusSeconds(60), Duration.ofSeconds(10))).isZero();
  }
}
