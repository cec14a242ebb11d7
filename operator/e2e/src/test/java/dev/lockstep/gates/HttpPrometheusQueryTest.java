package dev.lockstep.gates;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.world.FakePrometheus;
import dev.lockstep.world.FakePrometheus.Answer;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Instant queries over real HTTP against a Prometheus that answers in Prometheus' format. */
class HttpPrometheusQueryTest {

  private static final String ERROR_RATE =
      "sum(rate(http_requests_total{job=\"orders\", code=~\"5..\"}[1m])) / sum(rate(http_requests_total{job=\"orders\"}[1m])) + 0";

  private final FakePrometheus prometheus = FakePrometheus.start();
  /** Generous: the first request in a JVM loads the HTTP client's classes. */
  private final PrometheusQuery query = new HttpPrometheusQuery(Duration.ofSeconds(10), Duration.ofSeconds(10));

  @AfterEach
  void stop() {
    prometheus.close();
  }

  private String who(String promql) {
    return "Prometheus at " + prometheus.url() + ": query `" + promql + "`";
  }

  @Test
  void aVectorWithOneSeriesGivesItsValueAndTheQueryArrivesIntact() {
    prometheus.setValue(ERROR_RATE, 0.0125);

    Reading<Double> value = query.value(prometheus.url(), ERROR_RATE);

    assertThat(value.problem()).isNull();
    assertThat(value.value()).isEqualTo(0.0125);
    assertThat(prometheus.queries(ERROR_RATE)).isEqualTo(1);
  }

  @Test
  void aScalarGivesItsValue() {
    prometheus.answer("scalar(up)", Answer.scalar(1));

    assertThat(query.value(prometheus.url(), "scalar(up)").value()).isEqualTo(1.0);
  }

  @Test
  void aBaseUrlWithATrailingSlashWorks() {
    prometheus.setValue("up", 1e-7);

    assertThat(query.value(prometheus.url() + "/", "up").value()).isEqualTo(1e-7);
  }

  @Test
  void anInfiniteValueIsAValue() {
    prometheus.setValue("latency", Double.POSITIVE_INFINITY);

    assertThat(query.value(prometheus.url(), "latency").value()).isEqualTo(Double.POSITIVE_INFINITY);
  }

  @Test
  void anEmptyVectorHasNoValue() {
    Reading<Double> value = query.value(prometheus.url(), "absent_metric");

    assertThat(value.problem()).isEqualTo(who("absent_metric") + ": returned no series, so there is no value to"
        + " compare; check the metric and label names, or use `or vector(0)` if no series means zero");
  }

  @Test
  void moreThanOneSeriesHasNoSingleValue() {
    prometheus.answer("errors", Answer.vector(0.1, 0.2, 0.3, 0.4));

    Reading<Double> value = query.value(prometheus.url(), "errors");

    assertThat(value.problem()).isEqualTo(who("errors") + ": returned 4 series ({series=\"0\"}, {series=\"1\"},"
        + " {series=\"2\"}, …), not one; aggregate them, e.g. with sum() or max()");
  }

  @Test
  void nanIsNeitherWithinNorOutOfBounds() {
    prometheus.setValue("ratio", Double.NaN);

    assertThat(query.value(prometheus.url(), "ratio").problem()).isEqualTo(who("ratio")
        + ": returned NaN (for instance a ratio of two zero rates), which is neither within nor out of bounds");
  }

  @Test
  void anErrorAnswerIsReportedWithItsType() {
    prometheus.answer("sum(", Answer.error(400, "bad_data", "1:5: parse error: unclosed left parenthesis"));

    assertThat(query.value(prometheus.url(), "sum(").problem()).isEqualTo(who("sum(")
        + ": answered 400 with an error (bad_data): 1:5: parse error: unclosed left parenthesis");
  }

  @Test
  void aServerThatIsNotPrometheusIsSaidSo() {
    // The fake answers 404 with plain text for any path but /api/v1/query: a wrong base URL.
    Reading<Double> value = query.value(prometheus.url() + "/graph", "up");

    assertThat(value.problem()).isEqualTo(who("up").replace(prometheus.url(), prometheus.url() + "/graph")
        + ": answered 404 with something that is not Prometheus' API JSON: 404 page not found");
  }

  @Test
  void anUnreachablePrometheusIsSaidSo() throws IOException {
    String url;
    try (ServerSocket socket = new ServerSocket(0)) {
      url = "http://127.0.0.1:" + socket.getLocalPort();
    }

    assertThat(query.value(url, "up").problem()).startsWith("Prometheus at " + url + ": query `up`: unreachable: ");
  }

  @Test
  void aPrometheusThatNeverAnswersTimesOut() {
    prometheus.answer("slow_query", Answer.silence());
    PrometheusQuery impatient = new HttpPrometheusQuery(Duration.ofSeconds(2), Duration.ofMillis(300));

    assertThat(impatient.value(prometheus.url(), "slow_query").problem())
        .isEqualTo(who("slow_query") + ": no answer within 300ms");
    assertThat(prometheus.queries("slow_query")).isEqualTo(1);
  }

  @Test
  void aLongQueryIsShortenedInMessages() {
    String longQuery = "sum(" + "x + ".repeat(100) + "x)";

    assertThat(query.value(prometheus.url(), longQuery).problem())
        .startsWith("Prometheus at " + prometheus.url() + ": query `" + longQuery.substring(0, 200) + "…`: returned no series");
  }
}
