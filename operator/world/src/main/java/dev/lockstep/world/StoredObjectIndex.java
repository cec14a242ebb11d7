package dev.lockstep.world;

import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The mock server's stored objects by resource (plural) and by resource and name, so that a GET of
 * one object or a LIST of one resource looks only at the objects that can match, as kube-apiserver
 * serves them from its cache by key, instead of matching every object stored (Jobs, pods, Events,
 * leases: a cost that grows with the whole run).
 *
 * <p>It mirrors the store's map exactly: every key the store holds, with its JSON, in the store's
 * order (a {@link LinkedHashMap} where a key removed and stored again moves to the end, and a key
 * stored over an equal one keeps its place). A query is still answered by {@link
 * AttributeSet#matches}, over the objects of its resource (and name) only; any object that matches
 * has that resource and name, so the answer is the one a scan of the whole store gives. A query
 * the index cannot narrow ({@link Optional#empty()}) is left to the scan.
 *
 * <p>Not thread-safe: the store reads and changes it under its own read-write lock.
 */
final class StoredObjectIndex {

  /** The mock server's {@code Value} equals anything when it is this, so it cannot be looked up by hash. */
  private static final String WILDCARD = "*";

  private static final LinkedHashMap<AttributeSet, String> EMPTY = new LinkedHashMap<>();

  private final Map<String, LinkedHashMap<AttributeSet, String>> byResource = new HashMap<>();
  private final Map<List<String>, LinkedHashMap<AttributeSet, String>> byName = new HashMap<>();
  /** Stored keys whose resource or name is the wildcard: while there are any, every query scans. */
  private int wildcardKeys;

  /** The store removed {@code key} (no-op when it held no such key). */
  void removed(AttributeSet key) {
    if (key == null) {
      return;
    }
    String resource = single(key, KubernetesAttributesExtractor.PLURAL);
    if (resource == null) {
      return;
    }
    if (remove(byResource, resource, key) && isWildcard(key)) {
      wildcardKeys--;
    }
    String name = single(key, KubernetesAttributesExtractor.NAME);
    if (name != null) {
      remove(byName, List.of(resource, name), key);
    }
  }

  /** The store put {@code json} under {@code key}. */
  void stored(AttributeSet key, String json) {
    String resource = single(key, KubernetesAttributesExtractor.PLURAL);
    if (resource == null) {
      return; // no query with a resource can match it; a query without one scans
    }
    if (byResource.computeIfAbsent(resource, r -> new LinkedHashMap<>()).put(key, json) == null
        && isWildcard(key)) {
      wildcardKeys++;
    }
    String name = single(key, KubernetesAttributesExtractor.NAME);
    if (name != null) {
      byName.computeIfAbsent(List.of(resource, name), n -> new LinkedHashMap<>()).put(key, json);
    }
  }

  void clear() {
    byResource.clear();
    byName.clear();
    wildcardKeys = 0;
  }

  /**
   * The stored objects that match {@code query}, in the store's order; empty when the query names
   * no resource (or the index cannot narrow it), and the caller must scan.
   */
  Optional<List<Map.Entry<AttributeSet, String>>> matching(AttributeSet query) {
    String resource = lookedUp(query, KubernetesAttributesExtractor.PLURAL);
    if (resource == null || wildcardKeys > 0) {
      return Optional.empty();
    }
    LinkedHashMap<AttributeSet, String> candidates;
    if (query.containsKey(KubernetesAttributesExtractor.NAME)) {
      String name = lookedUp(query, KubernetesAttributesExtractor.NAME);
      if (name == null) {
        return Optional.empty();
      }
      candidates = byName.getOrDefault(List.of(resource, name), EMPTY);
    } else {
      candidates = byResource.getOrDefault(resource, EMPTY);
    }
    List<Map.Entry<AttributeSet, String>> found = new ArrayList<>();
    for (Map.Entry<AttributeSet, String> entry : candidates.entrySet()) {
      if (entry.getKey().matches(query)) {
        found.add(new AbstractMap.SimpleImmutableEntry<>(entry.getKey(), entry.getValue()));
      }
    }
    return Optional.of(found);
  }

  private static <K> boolean remove(Map<K, LinkedHashMap<AttributeSet, String>> index, K bucket, AttributeSet key) {
    LinkedHashMap<AttributeSet, String> objects = index.get(bucket);
    if (objects == null || !objects.containsKey(key)) {
      return false;
    }
    objects.remove(key);
    if (objects.isEmpty()) {
      index.remove(bucket);
    }
    return true;
  }

  private static boolean isWildcard(AttributeSet key) {
    return WILDCARD.equals(single(key, KubernetesAttributesExtractor.PLURAL))
        || WILDCARD.equals(single(key, KubernetesAttributesExtractor.NAME));
  }

  /** The value a query requires an attribute to equal, when it can be looked up by hash; else null. */
  private static String lookedUp(AttributeSet query, String attribute) {
    Attribute required = query.getAttribute(attribute);
    if (required == null || required.getType() != AttributeType.WITH) {
      return null;
    }
    String value = single(query, attribute);
    return WILDCARD.equals(value) ? null : value;
  }

  private static String single(AttributeSet set, String attribute) {
    Attribute found = set.getAttribute(attribute);
    if (found == null || found.getValues().size() != 1) {
      return null;
    }
    return String.valueOf(found.getValues().get(0));
  }
}
