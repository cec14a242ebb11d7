package dev.lockstep.world;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.crud.KubernetesCrudDispatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;

/**
 * The mock server's CRUD store, corrected where it differs from kube-apiserver in ways a controller
 * notices:
 *
 * <ul>
 *   <li>JSON merge patch follows RFC 7386 (a {@code null} removes the key, a list replaces the list);
 *       the stock store merges with Jackson's reader-for-updating, which keeps nulls as values.
 *   <li>A status update ({@code PUT .../status}) with a stale {@code resourceVersion} is rejected
 *       with 409 Conflict; the stock store checks the version only on the main resource.
 *   <li>A Secret's {@code stringData} is folded into {@code data}, as kube-apiserver stores it.
 *   <li>Deleting a running pod marks it for a graceful deletion ({@link GracefulPodDeletion}); the
 *       stock store removes it at once.
 * </ul>
 *
 * <p>Writes are serialised by this class so that the version check and the write it guards are
 * atomic with respect to every other write.
 */
class FaithfulCrudDispatcher extends KubernetesCrudDispatcher {

  private final Object writes = new Object();

  @Override
  public JsonNode merge(JsonNode base, String patch) throws KubernetesCrudDispatcherException {
    return JsonMergePatch.apply(base, asNode(patch));
  }

  @Override
  public MockResponse handleCreate(RecordedRequest request) {
    synchronized (writes) {
      return withSecretsFolded(super.handleCreate(request));
    }
  }

  @Override
  public MockResponse handlePatch(RecordedRequest request) {
    synchronized (writes) {
      return withSecretsFolded(super.handlePatch(request));
    }
  }

  @Override
  public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
      GenericKubernetesResource resource, String newState) {
    super.processEvent(path, pathAttributes, oldAttributes, resource, SecretStringData.fold(newState));
  }

  /** The answer to a write shows the object as stored. */
  private static MockResponse withSecretsFolded(MockResponse response) {
    byte[] body = response.getBody() == null ? null : response.getBody().getBytes();
    if (body != null && body.length > 0) {
      String json = new String(body, StandardCharsets.UTF_8);
      String folded = SecretStringData.fold(json);
      if (!folded.equals(json)) {
        response.setBody(folded);
      }
    }
    return response;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    if (GracefulPodDeletion.deletesOnePod(request.getMethod(), request.getPath())) {
      synchronized (writes) {
        return deletePod(request);
      }
    }
    return super.dispatch(request);
  }

  private MockResponse deletePod(RecordedRequest request) {
    String path = request.getPath();
    AttributeSet key = getKey(path);
    Map.Entry<AttributeSet, String> current = findResource(key);
    if (current == null) {
      return super.handleDelete(path);
    }
    Pod stored = Serialization.unmarshal(current.getValue(), Pod.class);
    String before = current.getValue();
    Pod marked = GracefulPodDeletion.mark(stored, GracefulPodDeletion.requestedGrace(path, RequestBodies.text(request)),
        Instant.now()).orElse(null);
    if (marked == null) {
      return super.handleDelete(path);
    }
    String json = Serialization.asJson(marked);
    if (!json.equals(Serialization.asJson(Serialization.unmarshal(before, Pod.class)))) {
      marked.getMetadata().setResourceVersion(String.valueOf(requestResourceVersion()));
      json = Serialization.asJson(marked);
      processEvent(path, key, current.getKey(), Serialization.unmarshal(json, GenericKubernetesResource.class), json);
    }
    return new MockResponse().setResponseCode(HttpURLConnection.HTTP_OK).setBody(json);
  }

  @Override
  public MockResponse handleDelete(String path) {
    synchronized (writes) {
      return super.handleDelete(path);
    }
  }

  @Override
  public MockResponse handleUpdate(RecordedRequest request) {
    synchronized (writes) {
      if (request.getPath().endsWith("/status")) {
        MockResponse conflict = staleStatusUpdate(request);
        if (conflict != null) {
          return conflict;
        }
      }
      return withSecretsFolded(super.handleUpdate(request));
    }
  }

  private MockResponse staleStatusUpdate(RecordedRequest request) {
    byte[] body = request.getBody() == null ? null : request.getBody().getBytes();
    if (body == null || body.length == 0) {
      return null;
    }
    try {
      JsonNode update = Serialization.jsonMapper().readTree(new String(body, StandardCharsets.UTF_8));
      String requested = update.path("metadata").path("resourceVersion").asText("");
      AttributeSet key = getKey(request.getPath());
      Map.Entry<AttributeSet, String> current = findResource(key);
      if (requested.isEmpty() || current == null) {
        return null;
      }
      JsonNode stored = Serialization.jsonMapper().readTree(current.getValue());
      if (requested.equals(stored.path("metadata").path("resourceVersion").asText())) {
        return null;
      }
      String kind = stored.path("kind").asText();
      String name = stored.path("metadata").path("name").asText();
      return conflict(kind, name);
    } catch (IOException e) {
      // Let the stock handler answer a body it cannot parse.
      return null;
    }
  }

  private static MockResponse conflict(String kind, String name) {
    String message =
        String.format(
            "Operation cannot be fulfilled on %s \\\"%s\\\": the object has been modified; "
                + "please apply your changes to the latest version and try again",
            kind, name);
    return new MockResponse()
        .setResponseCode(HttpURLConnection.HTTP_CONFLICT)
        .setBody(
            "{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"Conflict\","
                + "\"code\":409,\"message\":\""
                + message
                + "\"}");
  }

  /** RFC 7386 JSON merge patch. */
  static final class JsonMergePatch {
    private JsonMergePatch() {}

    static JsonNode apply(JsonNode target, JsonNode patch) {
      if (!patch.isObject()) {
        return patch.deepCopy();
      }
      ObjectNode result =
          target != null && target.isObject()
              ? ((ObjectNode) target).deepCopy()
              : Serialization.jsonMapper().createObjectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (field.getValue().isNull()) {
          result.remove(field.getKey());
        } else {
          result.set(field.getKey(), apply(result.get(field.getKey()), field.getValue()));
        }
      }
      return result;
    }
  }
}
