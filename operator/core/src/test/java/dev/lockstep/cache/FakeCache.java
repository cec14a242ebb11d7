package dev.lockstep.cache;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * An informer cache in a map: a test puts what the watch would have delivered, and sees what the
 * class under test handed back after writing ({@link #created}, {@link #updated}).
 */
public final class FakeCache<R extends HasMetadata> implements CachedResources<R> {

  private final Map<String, R> objects = new ConcurrentHashMap<>();
  private final List<R> handedBack = new ArrayList<>();

  /** As if the watch delivered {@code resource}. */
  public FakeCache<R> put(R resource) {
    objects.put(key(resource.getMetadata().getNamespace(), resource.getMetadata().getName()), resource);
    return this;
  }

  /** As if the watch delivered the deletion of {@code name}. */
  public void remove(String namespace, String name) {
    objects.remove(key(namespace, name));
  }

  /** What the class under test handed back after its writes, oldest first. */
  public List<R> handedBack() {
    return List.copyOf(handedBack);
  }

  @Override
  public Optional<R> get(String namespace, String name) {
    return Optional.ofNullable(objects.get(key(namespace, name)));
  }

  @Override
  public List<R> list(String namespace, Predicate<R> filter) {
    return objects.values().stream()
        .filter(r -> namespace.equals(r.getMetadata().getNamespace()))
        .filter(filter)
        .toList();
  }

  @Override
  public synchronized void created(R created) {
    handedBack.add(created);
    put(created);
  }

  @Override
  public synchronized void updated(R updated, R previous) {
    handedBack.add(updated);
    put(updated);
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
