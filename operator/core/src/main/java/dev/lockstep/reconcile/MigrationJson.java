package dev.lockstep.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** JSON views of API objects, for comparing them by value. */
final class MigrationJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private MigrationJson() {}

  static JsonNode tree(Object value) {
    return value == null ? null : JSON.valueToTree(value);
  }
}
