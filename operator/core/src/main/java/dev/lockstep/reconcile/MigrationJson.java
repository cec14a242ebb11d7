package dev.lockstep.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.Serialization;

/** JSON views of API objects, for comparing them by value. */
final class MigrationJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private MigrationJson() {}

  static JsonNode tree(Object value) {
    return value == null ? null : JSON.valueToTree(value);
  }

  /** A deep copy, through the same serialisation the API client uses. */
  @SuppressWarnings("unchecked")
  static <T> T copy(T value) {
    return (T) Serialization.unmarshal(Serialization.asJson(value), value.getClass());
  }
}
