package dev.lockstep.gates;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the one value out of an answer of Prometheus' instant query API ({@code /api/v1/query}):
 * {@code {"status": "success", "data": {"resultType": "vector", "result": [{"metric": {}, "value":
 * [1700000000.1, "0.02"]}]}}}, or a {@code scalar} result {@code [1700000000.1, "0.02"]}.
 */
final class PrometheusAnswer {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** A message lists this many series and counts the rest. */
  private static final int LISTED_SERIES = 3;

  private PrometheusAnswer() {}

  /**
   * @param who {@code Prometheus at <url>: query `<query>`}, the start of every message
   */
  static Reading<Double> read(String who, int status, String body) {
    JsonNode answer;
    try {
      answer = JSON.readTree(body == null ? "" : body);
    } catch (JsonProcessingException e) {
      answer = null;
    }
    if (answer == null || !answer.isObject() || !answer.has("status")) {
      return Reading.failed(who + ": answered " + status + " with something that is not Prometheus' API JSON"
          + Texts.bodyPreview(body));
    }
    if (!"success".equals(answer.path("status").asText())) {
      return Reading.failed(who + ": answered " + status + " with an error ("
          + answer.path("errorType").asText("no type") + "): " + answer.path("error").asText("no message"));
    }
    JsonNode data = answer.path("data");
    String type = data.path("resultType").asText("");
    JsonNode result = data.path("result");
    switch (type) {
      case "vector":
        return vector(who, result);
      case "scalar":
        return sample(who, result);
      case "matrix":
        return Reading.failed(who + ": returned a range vector (matrix); write an instant query, e.g. wrap the"
            + " range in rate() or avg_over_time()");
      default:
        return Reading.failed(who + ": returned a result of type \"" + type + "\", not a number");
    }
  }

  private static Reading<Double> vector(String who, JsonNode result) {
    if (!result.isArray()) {
      return Reading.failed(who + ": returned a vector without a result list");
    }
    if (result.isEmpty()) {
      return Reading.failed(who + ": returned no series, so there is no value to compare;"
          + " check the metric and label names, or use `or vector(0)` if no series means zero");
    }
    if (result.size() > 1) {
      List<String> series = new ArrayList<>();
      for (int i = 0; i < Math.min(LISTED_SERIES, result.size()); i++) {
        series.add(labels(result.get(i).path("metric")));
      }
      String more = result.size() > LISTED_SERIES ? ", …" : "";
      return Reading.failed(who + ": returned " + result.size() + " series (" + String.join(", ", series) + more
          + "), not one; aggregate them, e.g. with sum() or max()");
    }
    return sample(who, result.get(0).path("value"));
  }

  /** A sample is {@code [<unix time>, "<value>"]}; Prometheus writes the value as a string. */
  private static Reading<Double> sample(String who, JsonNode sample) {
    if (!sample.isArray() || sample.size() != 2 || !sample.get(1).isTextual()) {
      return Reading.failed(who + ": returned a sample that is not [time, \"value\"]: " + sample);
    }
    String text = sample.get(1).asText();
    double value;
    switch (text) {
      case "+Inf":
      case "Inf":
        value = Double.POSITIVE_INFINITY;
        break;
      case "-Inf":
        value = Double.NEGATIVE_INFINITY;
        break;
      default:
        try {
          value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
          return Reading.failed(who + ": returned the value \"" + text + "\", which is not a number");
        }
    }
    if (Double.isNaN(value)) {
      return Reading.failed(who + ": returned NaN (for instance a ratio of two zero rates), which is neither"
          + " within nor out of bounds");
    }
    return Reading.of(value);
  }

  private static String labels(JsonNode metric) {
    List<String> pairs = new ArrayList<>();
    for (Map.Entry<String, JsonNode> label : metric.properties()) {
      pairs.add(label.getKey() + "=\"" + label.getValue().asText() + "\"");
    }
    return "{" + String.join(", ", pairs) + "}";
  }
}
