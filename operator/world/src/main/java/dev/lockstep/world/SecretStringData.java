package dev.lockstep.world;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;

/**
 * kube-apiserver stores a Secret's {@code stringData} as base64 in {@code data} (a {@code
 * stringData} key wins over the same {@code data} key) and never stores {@code stringData} itself.
 * The mock server stores what it is given; this folds it the way the API server does, so a
 * controller reading a Secret created from YAML with {@code stringData} finds its keys in {@code
 * data}, as it would in a cluster.
 */
final class SecretStringData {

  private SecretStringData() {}

  /** The object as kube-apiserver would store it, or {@code json} itself when there is nothing to fold. */
  static String fold(String json) {
    if (json == null || !json.contains("\"stringData\"")) {
      return json;
    }
    try {
      JsonNode node = Serialization.jsonMapper().readTree(json);
      if (!node.isObject() || !"Secret".equals(node.path("kind").asText()) || !node.path("stringData").isObject()) {
        return json;
      }
      ObjectNode secret = (ObjectNode) node;
      ObjectNode data = secret.path("data").isObject() ? (ObjectNode) secret.get("data") : secret.putObject("data");
      for (Iterator<Map.Entry<String, JsonNode>> it = secret.get("stringData").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        data.put(entry.getKey(),
            Base64.getEncoder().encodeToString(entry.getValue().asText().getBytes(StandardCharsets.UTF_8)));
      }
      secret.remove("stringData");
      return Serialization.jsonMapper().writeValueAsString(secret);
    } catch (IOException e) {
      return json;
    }
  }
}
