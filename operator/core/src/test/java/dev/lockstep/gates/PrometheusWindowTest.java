package dev.lockstep.gates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.PrometheusCheck;
import dev.lockstep.gates.PrometheusWindow.Breach;
import dev.lockstep.gates.PrometheusWindow.Holding;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PrometheusWindowTest {

  private static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");
  private static final String ERRORS = "sum(rate(errors[1m]))";

  private static PrometheusCheck check(Double min, Double max, String forDuration) {
    PrometheusCheck check = new PrometheusCheck();
    check.setUrl("http://prometheus:9090");
    check.setQuery(ERRORS);
    check.setMin(min);
    check.setMax(max);
    check.setForDuration(forDuration);
    return check;
  }

  private static Instant at(int seconds) {
    return T0.plus(Duration.ofSeconds(seconds));
  }

  private static Reading<Double> value(double v) {
    return Reading.of(v);
  }

  @Test
  void withoutForAWaitHoldsAsSoonAsTheValueIsWithinBounds() {
    Holding holding = PrometheusWindow.holding(null, value(0.004), T0, check(null, 0.01, null));

    assertThat(holding.satisfied()).isTrue();
    assertThat(holding.since()).isEqualTo(T0);
    assertThat(holding.message()).isEqualTo("`" + ERRORS + "` is 0.004, within max 0.01");
  }

  @Test
  void aWaitHoldsOnceTheValueStayedWithinBoundsForTheWholeWindow() {
    PrometheusCheck check = check(null, 0.01, "1m");

    Holding first = PrometheusWindow.holding(null, value(0.004), at(0), check);
    assertThat(first.satisfied()).isFalse();
    assertThat(first.since()).isEqualTo(at(0));
    assertThat(first.message()).endsWith("within max 0.01 for 0s of 1m");

    Holding middle = PrometheusWindow.holding(first.since(), value(0.006), at(30), check);
    assertThat(middle.satisfied()).isFalse();
    assertThat(middle.since()).isEqualTo(at(0));
    assertThat(middle.message()).isEqualTo("`" + ERRORS + "` is 0.006, within max 0.01 for 30s of 1m");

    Holding done = PrometheusWindow.holding(middle.since(), value(0.01), at(60), check);
    assertThat(done.satisfied()).isTrue();
    assertThat(done.since()).isEqualTo(at(0));
    assertThat(done.message()).isEqualTo("`" + ERRORS + "` is 0.01, within max 0.01 for 1m");
  }

  @Test
  void aValueOutOfBoundsStartsTheWaitWindowAgain() {
    PrometheusCheck check = check(null, 0.01, "1m");
    Holding held = PrometheusWindow.holding(at(0), value(0.004), at(50), check);

    Holding broken = PrometheusWindow.holding(held.since(), value(0.02), at(55), check);
    assertThat(broken.satisfied()).isFalse();
    assertThat(broken.since()).isNull();
    assertThat(broken.message())
        .isEqualTo("`" + ERRORS + "` is 0.02, above max 0.01; the 1m window starts again");

    Holding again = PrometheusWindow.holding(broken.since(), value(0.004), at(70), check);
    assertThat(again.satisfied()).isFalse();
    assertThat(again.since()).isEqualTo(at(70));
  }

  @Test
  void aValueThatCannotBeReadStartsTheWaitWindowAgain() {
    Holding holding = PrometheusWindow.holding(
        at(0), Reading.failed("Prometheus at http://p: query `x`: returned no series"), at(50), check(null, 1.0, "1m"));

    assertThat(holding.satisfied()).isFalse();
    assertThat(holding.since()).isNull();
    assertThat(holding.message()).isEqualTo("Prometheus at http://p: query `x`: returned no series; the 1m window starts again");
  }

  @Test
  void minAndMaxAreInclusiveBounds() {
    PrometheusCheck check = check(5.0, 10.0, null);

    assertThat(PrometheusWindow.holding(null, value(5), T0, check).satisfied()).isTrue();
    assertThat(PrometheusWindow.holding(null, value(10), T0, check).message())
        .isEqualTo("`" + ERRORS + "` is 10, within min 5 and max 10");
    assertThat(PrometheusWindow.holding(null, value(4.5), T0, check).message())
        .isEqualTo("`" + ERRORS + "` is 4.5, below min 5");
    assertThat(PrometheusWindow.holding(null, value(Double.POSITIVE_INFINITY), T0, check).message())
        .isEqualTo("`" + ERRORS + "` is +Inf, above max 10");
  }

  @Test
  void aSinceLaterThanNowCountsFromNow() {
    Holding holding = PrometheusWindow.holding(at(90), value(0.0), at(30), check(null, 1.0, "1m"));

    assertThat(holding.since()).isEqualTo(at(30));
    assertThat(holding.satisfied()).isFalse();
  }

  @Test
  void withoutForAGuardIsBreachedByTheFirstValueOutOfBounds() {
    Breach breach = PrometheusWindow.breach(null, value(0.02), T0, check(null, 0.01, null));

    assertThat(breach.breached()).isTrue();
    assertThat(breach.since()).isEqualTo(T0);
    assertThat(breach.message()).isEqualTo("`" + ERRORS + "` is 0.02, above max 0.01");
  }

  @Test
  void aGuardWithForIsBreachedOnlyWhenTheValueStaysOutOfBoundsForTheWholeWindow() {
    PrometheusCheck check = check(null, 0.01, "1m");

    Breach first = PrometheusWindow.breach(null, value(0.02), at(0), check);
    assertThat(first.breached()).isFalse();
    assertThat(first.since()).isEqualTo(at(0));
    assertThat(first.message()).isEqualTo("`" + ERRORS + "` is 0.02, above max 0.01 (for 0s; a breach after 1m)");

    Breach recovered = PrometheusWindow.breach(first.since(), value(0.001), at(40), check);
    assertThat(recovered.breached()).isFalse();
    assertThat(recovered.since()).isNull();
    assertThat(recovered.message()).isEqualTo("`" + ERRORS + "` is 0.001, within max 0.01");

    Breach again = PrometheusWindow.breach(recovered.since(), value(0.03), at(50), check);
    Breach still = PrometheusWindow.breach(again.since(), value(0.05), at(100), check);
    assertThat(still.breached()).isFalse();
    Breach breached = PrometheusWindow.breach(still.since(), value(0.04), at(110), check);
    assertThat(breached.breached()).isTrue();
    assertThat(breached.since()).isEqualTo(at(50));
    assertThat(breached.message()).isEqualTo("`" + ERRORS + "` is 0.04, above max 0.01 (for 1m)");
  }

  @Test
  void aGuardCountsAValueThatCannotBeReadAsOutOfBounds() {
    PrometheusCheck check = check(null, 0.01, "30s");
    Reading<Double> unreachable = Reading.failed("Prometheus at http://p: query `x`: unreachable: connection refused");

    Breach first = PrometheusWindow.breach(null, unreachable, at(0), check);
    assertThat(first.breached()).isFalse();
    assertThat(first.message()).isEqualTo(unreachable.problem() + " (for 0s; a breach after 30s)");

    Breach breached = PrometheusWindow.breach(first.since(), unreachable, at(30), check);
    assertThat(breached.breached()).isTrue();
  }

  @Test
  void anInvalidForIsASpecErrorNamingTheField() {
    assertThatThrownBy(() -> PrometheusWindow.holding(null, value(1), T0, check(null, 2.0, "soon")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prometheus.for is \"soon\"");
  }
}
