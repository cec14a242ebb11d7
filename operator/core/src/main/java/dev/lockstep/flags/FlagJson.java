package dev.lockstep.flags;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The one JSON mapper of this package, and the conversions every flag source needs. */
final class FlagJson {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private FlagJson() {}

  /** Parses JSON text that must be an object; {@code what} names it in the error. */
  static ObjectNode parseObject(String json, String what) {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new FlagException(what + " is not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new FlagException(what + " must be a JSON object");
    }
    return (ObjectNode) node;
  }

  /** Compact JSON text, keys in their stored order. */
  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }
}
