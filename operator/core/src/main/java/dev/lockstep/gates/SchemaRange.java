package dev.lockstep.gates;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import java.util.Objects;
import org.flywaydb.core.api.MigrationVersion;

/**
 * The schema versions a pod says it can run against, both ends included: {@code 1-3} supports 1,
 * 1.5, 2 and 3. Versions compare as Flyway compares them, so {@code 1.10} is above {@code 1.9}.
 */
public record SchemaRange(MigrationVersion min, MigrationVersion max) {

  /** The example a malformed answer is told to follow. */
  public static final String JSON_EXAMPLE = "{\"schema\": {\"min\": \"1\", \"max\": \"3\"}}";

  // Big decimals keep "1.10" written as a JSON number as 1.10, so the message shows what was sent.
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

  public SchemaRange {
    Objects.requireNonNull(min, "min");
    Objects.requireNonNull(max, "max");
    if (min.compareTo(max) > 0) {
      throw new IllegalArgumentException("min " + min + " is above max " + max);
    }
  }

  public boolean contains(MigrationVersion version) {
    return min.compareTo(version) <= 0 && version.compareTo(max) <= 0;
  }

  /**
   * The annotation form: {@code "1-3"}, or a single version ({@code "3"}) for a pod that supports
   * exactly one. Flyway versions contain no dash, so the first dash separates the ends.
   */
  public static Reading<SchemaRange> parse(String text) {
    if (text == null || text.isBlank()) {
      return Reading.failed("it is empty");
    }
    String[] ends = text.split("-", -1);
    if (ends.length > 2) {
      return Reading.failed("it has more than one dash");
    }
    Reading<MigrationVersion> min = SchemaVersions.parse(ends[0]).explain(p -> "its lower end: " + p);
    Reading<MigrationVersion> max =
        ends.length == 1 ? min : SchemaVersions.parse(ends[1]).explain(p -> "its upper end: " + p);
    return between(min, max, "the lower end", "the upper end");
  }

  /**
   * The HTTP form: {@code {"schema": {"min": "1", "max": "3"}}}. Other members are allowed, so an
   * application may say more about itself in the same document.
   */
  public static Reading<SchemaRange> fromJson(String body) {
    JsonNode document;
    try {
      document = JSON.readTree(body == null ? "" : body);
    } catch (JsonProcessingException e) {
      return Reading.failed("the body is not JSON (" + e.getOriginalMessage() + ")");
    }
    if (document == null || document.isMissingNode() || !document.isObject()) {
      return Reading.failed("the body is not a JSON object");
    }
    JsonNode schema = document.get("schema");
    if (schema == null || !schema.isObject()) {
      return Reading.failed("the body has no \"schema\" object");
    }
    return between(version(schema, "min"), version(schema, "max"), "schema.min", "schema.max");
  }

  private static Reading<MigrationVersion> version(JsonNode schema, String member) {
    JsonNode node = schema.get(member);
    String field = "schema." + member;
    if (node == null || node.isNull()) {
      return Reading.failed(field + " is missing");
    }
    if (node.isIntegralNumber()) {
      return SchemaVersions.parse(node.asText()).explain(p -> field + ": " + p);
    }
    if (node.isNumber()) {
      return Reading.failed(field + " is the JSON number " + node.decimalValue()
          + "; write versions as strings (\"" + node.decimalValue() + "\") so that no digit is lost");
    }
    if (!node.isTextual()) {
      return Reading.failed(field + " is not a string");
    }
    return SchemaVersions.parse(node.asText()).explain(p -> field + ": " + p);
  }

  private static Reading<SchemaRange> between(
      Reading<MigrationVersion> min, Reading<MigrationVersion> max, String minName, String maxName) {
    if (!min.ok()) {
      return Reading.failed(min.problem());
    }
    if (!max.ok()) {
      return Reading.failed(max.problem());
    }
    if (min.value().compareTo(max.value()) > 0) {
      return Reading.failed(minName + " " + min.value() + " is above " + maxName + " " + max.value());
    }
    return Reading.of(new SchemaRange(min.value(), max.value()));
  }

  /** {@code 1-3}, or {@code 3} when both ends are the same version: the annotation form. */
  @Override
  public String toString() {
    return min.equals(max) ? min.toString() : min + "-" + max;
  }
}
