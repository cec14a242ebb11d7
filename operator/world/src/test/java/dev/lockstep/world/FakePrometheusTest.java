package dev.lockstep.world;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.world.FakePrometheus.Answer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fake speaks Prometheus' query API as a client sees it on the wire. */
class FakePrometheusTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final FakePrometheus prometheus =
      FakePrometheus.start(Clock.fixed(Instant.parse("2026-11-02T10:00:00.250Z"), ZoneOffset.UTC));

  @AfterEach
  void stop() {
    prometheus.close();
  }

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(prometheus.url() + pathAndQuery)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String encoded(String query) {
    return URLEncoder.encode(query, StandardCharsets.UTF_8);
  }

  @Test
  void aSetValueIsAnInstantVectorWithOneSampleWrittenAsPrometheusWritesNumbers() throws Exception {
    prometheus.setValue("rate(x[1m])", 0.00001);

    HttpResponse<String> response = get("/api/v1/query?query=" + encoded("rate(x[1m])") + "&time=1700000000");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode answer = JSON.readTree(response.body());
    assertThat(answer.path("status").asText()).isEqualTo("success");
    assertThat(answer.path("data").path("resultType").asText()).isEqualTo("vector");
    JsonNode sample = answer.path("data").path("result").get(0).path("value");
    assertThat(sample.get(0).decimalValue()).isEqualByComparingTo("1793613600.25");
    assertThat(sample.get(1).asText()).isEqualTo("0.00001");
  }

  @Test
  void aQueryCanBePostedAsAForm() throws Exception {
    prometheus.answer("up == 1", Answer.scalar(1));

    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(prometheus.url() + "/api/v1/query"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("query=" + encoded("up == 1"))).build(),
        HttpResponse.BodyHandlers.ofString());

    JsonNode data = JSON.readTree(response.body()).path("data");
    assertThat(data.path("resultType").asText()).isEqualTo("scalar");
    assertThat(data.path("result").get(1).asText()).isEqualTo("1");
  }

  @Test
  void anAnswerCanBeAFunctionOfTheQueryAskedAnewEachTime() throws Exception {
    prometheus.answerOthers(query -> Answer.vector(query.length()));

    JsonNode answer = JSON.readTree(get("/api/v1/query?query=abcd").body());

    assertThat(answer.path("data").path("result").get(0).path("value").get(1).asText()).isEqualTo("4");
  }

  @Test
  void queriesAreCountedOnePerRequest() throws Exception {
    get("/api/v1/query?query=up");
    get("/api/v1/query?query=up");
    get("/api/v1/query?query=down");

    assertThat(prometheus.queries("up")).isEqualTo(2);
    assertThat(prometheus.queries("down")).isEqualTo(1);
    assertThat(prometheus.queries("other")).isZero();
    assertThat(prometheus.queries()).isEqualTo(3);
  }

  @Test
  void aRequestWithoutAQueryIsBadDataAndOtherPathsAreNotFound() throws Exception {
    HttpResponse<String> missing = get("/api/v1/query");
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(missing.body()).path("errorType").asText()).isEqualTo("bad_data");

    assertThat(get("/api/v1/query_range?query=up").statusCode()).isEqualTo(404);
    assertThat(prometheus.queries()).isZero();
  }

  @Test
  void anErrorCarriesItsStatusTypeAndMessage() throws Exception {
    prometheus.answer("boom", Answer.error(503, "unavailable", "too many queries"));

    HttpResponse<String> response = get("/api/v1/query?query=boom");

    assertThat(response.statusCode()).isEqualTo(503);
    JsonNode answer = JSON.readTree(response.body());
    assertThat(answer.path("status").asText()).isEqualTo("error");
    assertThat(answer.path("errorType").asText()).isEqualTo("unavailable");
    assertThat(answer.path("error").asText()).isEqualTo("too many queries");
  }
}
