package dev.lockstep.gates;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Answers a real Prometheus can give that the fake server does not script. */
class PrometheusAnswerTest {

  private static final String WHO = "Prometheus at http://p:9090: query `q`";

  @Test
  void aRangeVectorIsNotAnInstantValue() {
    String matrix = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":"
        + "[{\"metric\":{},\"values\":[[1700000000,\"1\"],[1700000015,\"2\"]]}]}}";

    assertThat(PrometheusAnswer.read(WHO, 200, matrix).problem()).isEqualTo(WHO + ": returned a range vector"
        + " (matrix); write an instant query, e.g. wrap the range in rate() or avg_over_time()");
  }

  @Test
  void aStringResultIsNotANumber() {
    String string = "{\"status\":\"success\",\"data\":{\"resultType\":\"string\",\"result\":[1700000000,\"hello\"]}}";

    assertThat(PrometheusAnswer.read(WHO, 200, string).problem())
        .isEqualTo(WHO + ": returned a result of type \"string\", not a number");
  }

  @Test
  void aSampleThatIsNotANumberIsSaidSo() {
    String odd = "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1700000000,\"lots\"]}}";

    assertThat(PrometheusAnswer.read(WHO, 200, odd).problem())
        .isEqualTo(WHO + ": returned the value \"lots\", which is not a number");
  }

  @Test
  void negativeInfinityAndExponentsAreNumbers() {
    String negative = "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1700000000,\"-Inf\"]}}";
    String exponent = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
        + "[{\"metric\":{\"job\":\"orders\"},\"value\":[1700000000.5,\"1.5e-3\"]}]}}";

    assertThat(PrometheusAnswer.read(WHO, 200, negative).value()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(PrometheusAnswer.read(WHO, 200, exponent).value()).isEqualTo(0.0015);
  }

  @Test
  void aGatewayErrorPageIsNotPrometheusJson() {
    assertThat(PrometheusAnswer.read(WHO, 502, "<html>Bad Gateway</html>").problem())
        .isEqualTo(WHO + ": answered 502 with something that is not Prometheus' API JSON: <html>Bad Gateway</html>");
  }
}
