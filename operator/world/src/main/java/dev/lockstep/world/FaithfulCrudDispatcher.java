package dev.lockstep.world;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesResponseComposer;
import io.fabric8.kubernetes.client.server.mock.crud.KubernetesCrudDispatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

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
 *   <li>A GET of one object, or a LIST of one resource, looks only at the objects of that resource
 *       (and name) through a {@link StoredObjectIndex}, as kube-apiserver serves them from its
 *       cache; the stock store matches every object stored, so each GET costs time in proportion
 *       to everything a long run has created. The answers are the stock store's.
 * </ul>
 *
 * <p>Writes are serialised by this class so that the version check and the write it guards are
 * atomic with respect to every other write, and so that a read through the index, which the stock
 * store's lock does not cover, never sees a write half done.
 */
class FaithfulCrudDispatcher extends KubernetesCrudDispatcher {

  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  /** Changed only in {@link #processEvent}, the one place the stock store changes its map. */
  private final StoredObjectIndex index = new StoredObjectIndex();
  /** The stock store's resource version counter, which it keeps private, for the lists answered here. */
  private final AtomicLong resourceVersion = new AtomicLong();

  @Override
  public JsonNode merge(JsonNode base, String patch) throws KubernetesCrudDispatcherException {
    return JsonMergePatch.apply(base, asNode(patch));
  }

  @Override
  public MockResponse handleCreate(RecordedRequest request) {
    return locked(lock.writeLock(), () -> withSecretsFolded(super.handleCreate(request)));
  }

  @Override
  public MockResponse handlePatch(RecordedRequest request) {
    return locked(lock.writeLock(), () -> withSecretsFolded(super.handlePatch(request)));
  }

  /** Called by every write of the stock store, under this class's write lock. */
  @Override
  public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
      GenericKubernetesResource resource, String newState) {
    String stored = SecretStringData.fold(newState);
    AttributeSet newKey = stored == null ? null : storedKey(pathAttributes, resource, stored);
    try {
      super.processEvent(path, pathAttributes, oldAttributes, resource, stored);
    } finally {
      // The store changes its map first (the key was computed above, as it computes it), then
      // tells the watches, which may throw: the index follows the map either way.
      index.removed(oldAttributes);
      if (newKey != null) {
        index.stored(newKey, stored);
      }
    }
  }

  /** The key the stock store's {@code processEvent} files {@code newState} under (its own code). */
  private AttributeSet storedKey(AttributeSet pathAttributes, GenericKubernetesResource resource, String newState) {
    KubernetesAttributesExtractor extractor = (KubernetesAttributesExtractor) attributeExtractor;
    AttributeSet key = resource != null ? extractor.extract(resource) : extractor.fromResource(newState);
    if (!key.containsKey(KubernetesAttributesExtractor.PLURAL)) {
      key = AttributeSet.merge(pathAttributes, key);
    }
    return key;
  }

  @Override
  public long requestResourceVersion() {
    long next = super.requestResourceVersion();
    resourceVersion.set(next);
    return next;
  }

  @Override
  public void reset() {
    locked(lock.writeLock(), () -> {
      super.reset();
      index.clear();
      return null;
    });
  }

  /**
   * What the stock store answers, from the index: a GET of one object by name (404 when none
   * matches) and a LIST of one resource that finds something (an empty one may be an API discovery
   * request, which the stock store answers). Watches and anything else go to the stock store.
   */
  @Override
  public MockResponse handleGet(String path) {
    if (watch(path)) {
      return super.handleGet(path);
    }
    return locked(lock.readLock(), () -> {
      AttributeSet query = getKey(path);
      Optional<List<Map.Entry<AttributeSet, String>>> found = index.matching(query);
      if (found.isEmpty()) {
        return super.handleGet(path);
      }
      List<Map.Entry<AttributeSet, String>> items = found.get();
      if (query.containsKey(KubernetesAttributesExtractor.NAME)) {
        return items.isEmpty()
            ? new MockResponse().setResponseCode(HttpURLConnection.HTTP_NOT_FOUND)
            : new MockResponse().setResponseCode(HttpURLConnection.HTTP_OK).setBody(items.get(0).getValue());
      }
      if (items.isEmpty()) {
        return super.handleGet(path);
      }
      String list = ((KubernetesResponseComposer) responseComposer).compose(
          items.stream().map(Map.Entry::getValue).toList(), String.valueOf(resourceVersion.get()));
      return new MockResponse().setResponseCode(HttpURLConnection.HTTP_OK).setBody(list);
    });
  }

  /** The first stored object that matches, as the stock store finds it; called under the lock. */
  @Override
  public Map.Entry<AttributeSet, String> findResource(AttributeSet attributes) {
    Optional<List<Map.Entry<AttributeSet, String>>> found = index.matching(attributes);
    if (found.isEmpty()) {
      return super.findResource(attributes);
    }
    return found.get().isEmpty() ? null : found.get().get(0);
  }

  /** The stock store's answer, found by matching every stored object: for tests to compare. */
  MockResponse scannedGet(String path) {
    return locked(lock.readLock(), () -> super.handleGet(path));
  }

  /** As the stock store tells a watch from a GET. */
  private static boolean watch(String path) {
    try {
      String query = new URI(path).getQuery();
      return query != null && query.contains("watch=true");
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static <T> T locked(Lock held, Supplier<T> action) {
    held.lock();
    try {
      return action.get();
    } finally {
      held.unlock();
    }
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
      return locked(lock.writeLock(), () -> deletePod(request));
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
    return locked(lock.writeLock(), () -> super.handleDelete(path));
  }

  @Override
  public MockResponse handleUpdate(RecordedRequest request) {
    return locked(lock.writeLock(), () -> {
      if (request.getPath().endsWith("/status")) {
        MockResponse conflict = staleStatusUpdate(request);
        if (conflict != null) {
          return conflict;
        }
      }
      return withSecretsFolded(super.handleUpdate(request));
    });
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
