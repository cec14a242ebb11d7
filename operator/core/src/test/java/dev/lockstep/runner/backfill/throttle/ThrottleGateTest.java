package dev.lockstep.runner.backfill.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.gates.Reading;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThrottleGateTest {

  private static final Duration INTERVAL = Duration.ofSeconds(1);

  /** Readings handed out in order; the clock moves only when the gate sleeps or the test says so. */
  private final Deque<Reading<Double>> readings = new ArrayDeque<>();
  private final List<String> log = new ArrayList<>();
  private final List<String> statuses = new ArrayList<>();
  private long now;
  private int reads;

  private final ThrottleSignal signal = new ThrottleSignal() {
    @Override
    public Reading<Double> read() {
      reads++;
      return readings.removeFirst();
    }

    @Override
    public String describe() {
      return "SQL `SELECT lag`";
    }
  };

  private final ThrottleGate gate = new ThrottleGate(signal, 10, INTERVAL, d -> now += d.toNanos(), () -> now, log::add);

  @Test
  void readsTheValueAtMostOncePerIntervalWhileItIsWithinBounds() throws Exception {
    readings.add(Reading.of(3.0));
    readings.add(Reading.of(4.0));

    gate.awaitClearance(statuses::add);
    now += INTERVAL.toNanos() / 2;
    gate.awaitClearance(statuses::add);
    now += INTERVAL.toNanos();
    gate.awaitClearance(statuses::add);

    assertThat(reads).isEqualTo(2);
    assertThat(statuses).isEmpty();
    assertThat(gate.pauses()).isZero();
  }

  @Test
  void waitsWhileTheValueIsOverTheMaximumAndSaysWhy() throws Exception {
    readings.add(Reading.of(42.0));
    readings.add(Reading.of(12.5));
    readings.add(Reading.of(10.0));

    gate.awaitClearance(statuses::add);

    assertThat(statuses).containsExactly(
        "SQL `SELECT lag` is 42, above the maximum 10", "SQL `SELECT lag` is 12.5, above the maximum 10");
    assertThat(gate.throttled()).isEqualTo(Duration.ofSeconds(2));
    assertThat(gate.pauses()).isEqualTo(1);
    assertThat(log).containsExactly(
        "throttled: SQL `SELECT lag` is 42, above the maximum 10; reading it again every 1000 ms",
        "throttle: SQL `SELECT lag` is 10 again, at most 10; resuming after 2000 ms");
  }

  /** A throttle protects the application: a value that cannot be read holds the batches back too. */
  @Test
  void aValueThatCannotBeReadHoldsTheBatchesBack() throws Exception {
    readings.add(Reading.failed("Prometheus at http://p:9090: query `up`: unreachable: connection refused"));
    readings.add(Reading.of(1.0));

    gate.awaitClearance(statuses::add);

    assertThat(statuses).containsExactly("cannot read the throttle's value: Prometheus at http://p:9090: query `up`:"
        + " unreachable: connection refused");
    assertThat(gate.throttled()).isEqualTo(INTERVAL);
  }

  @Test
  void anOpenGateNeverWaits() throws Exception {
    ThrottleGate open = ThrottleGate.open();

    open.awaitClearance(statuses::add);

    assertThat(statuses).isEmpty();
    assertThat(open.pauses()).isZero();
  }

  @Test
  void numbersReadAsPeopleWriteThem() {
    assertThat(ThrottleGate.number(10.0)).isEqualTo("10");
    assertThat(ThrottleGate.number(0.003)).isEqualTo("0.003");
    assertThat(ThrottleGate.number(12.345678)).isEqualTo("12.346");
    assertThat(ThrottleGate.number(1e9)).isEqualTo("1000000000");
  }
}
