package dev.lockstep.world;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Reads a request's body; done before the store handles the request, which consumes it. */
final class RequestBodies {

  private RequestBodies() {}

  /** The body as text, or "" when there is none. */
  static String text(RecordedRequest request) {
    byte[] body = request.getBody() == null ? null : request.getBody().getBytes();
    return body == null ? "" : new String(body, StandardCharsets.UTF_8);
  }

  /** {@code metadata.name} of the object in the body, or null (no body, not JSON, generateName only). */
  static String name(String text) {
    if (text.isBlank()) {
      return null;
    }
    try {
      JsonNode name = Serialization.jsonMapper().readTree(text).path("metadata").path("name");
      return name.isTextual() ? name.asText() : null;
    } catch (IOException notJson) {
      return null;
    }
  }
}
