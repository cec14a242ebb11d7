package dev.lockstep.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

  @Test
  void mergesThreadsIntoPercentilesTheExactMaximumWithItsDueTimeAndFailuresByKind() {
    LatencyRecorder first = new LatencyRecorder();
    LatencyRecorder second = new LatencyRecorder();
    for (int ms = 1; ms <= 100; ms++) {
      long due = TimeUnit.SECONDS.toNanos(ms);
      (ms % 2 == 0 ? first : second).succeeded(due, due + TimeUnit.MILLISECONDS.toNanos(ms));
    }
    long slowestDue = TimeUnit.SECONDS.toNanos(500);
    second.failed(slowestDue, slowestDue + TimeUnit.MILLISECONDS.toNanos(2_000) + 123_456,
        new SQLException("canceling statement due to lock timeout", "55P03"));
    second.failed(0, TimeUnit.MILLISECONDS.toNanos(1), new SQLException("canceling statement due to lock timeout", "55P03"));

    LatencySummary summary = LatencyRecorder.merge(List.of(first, second));

    assertThat(summary.requests()).isEqualTo(102);
    assertThat(summary.failed()).isEqualTo(2);
    // 3 significant digits: a percentile is off by at most 0.1%.
    assertThat(summary.p50Millis()).isCloseTo(50.0, within(0.1));
    assertThat(summary.p99Millis()).isCloseTo(100.0, within(0.1));
    assertThat(summary.maxMillis()).isEqualTo(2_000.123456);
    assertThat(summary.slowestDueNanos()).isEqualTo(slowestDue);
    assertThat(summary.errors()).containsExactly(
        java.util.Map.entry("canceling statement due to lock timeout (SQLSTATE 55P03)", 2L));
  }

  @Test
  void summarizesOnlyTheRequestsDueWithinAStretchOfTimeOverEveryThread() {
    LatencyRecorder first = new LatencyRecorder();
    LatencyRecorder second = new LatencyRecorder();
    // Due at 1..3000 ms, each waiting its due time in microseconds: the stretch 1000..2000 ms holds 1001 of them.
    for (int ms = 1; ms <= 3_000; ms++) {
      long due = TimeUnit.MILLISECONDS.toNanos(ms);
      (ms % 2 == 0 ? first : second).succeeded(due, due + TimeUnit.MICROSECONDS.toNanos(ms));
    }

    LatencySummary within = LatencyRecorder.mergeDueWithin(List.of(first, second),
        TimeUnit.MILLISECONDS.toNanos(1_000), TimeUnit.MILLISECONDS.toNanos(2_000));

    assertThat(within.requests()).isEqualTo(1_001);
    assertThat(within.p50Millis()).isCloseTo(1.5, within(0.01));
    assertThat(within.maxMillis()).isEqualTo(2.0);
    assertThat(within.slowestDueNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(2_000));
    assertThat(LatencyRecorder.mergeDueWithin(List.of(first, second), 0, 1).requests()).isZero();
  }

  @Test
  void summarizesNoRequestAsZeros() {
    LatencySummary summary = LatencyRecorder.merge(List.of(new LatencyRecorder()));

    assertThat(summary.requests()).isZero();
    assertThat(summary.maxMillis()).isZero();
  }
}
