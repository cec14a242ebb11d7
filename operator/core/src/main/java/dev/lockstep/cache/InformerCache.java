package dev.lockstep.cache;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.ResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.dependent.RecentOperationCacheFiller;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A {@link CachedResources} over a JOSDK informer. The informers are made when the reconciler
 * registers ({@code prepareEventSources}), after the classes that read them were built, so each
 * cache is created empty and bound to its informer then; a read before that is a programming error.
 *
 * <p>Writes made here go to JOSDK's temporary resource cache ({@link RecentOperationCacheFiller}),
 * which {@code get} consults before the informer's store: a Job or Lease this process just wrote is
 * seen by the very next reconcile, and the watch event of that write does not trigger another one.
 */
public final class InformerCache<R extends HasMetadata> implements CachedResources<R> {

  private final String kind;
  private volatile ResourceCache<R> cache;
  private volatile RecentOperationCacheFiller<R> recent;

  /** @param kind what the cache holds, for the message of a read before binding */
  public InformerCache(String kind) {
    this.kind = kind;
  }

  /** Binds an informer event source (which is both a cache and a recent-write filler). */
  public <S extends ResourceCache<R> & RecentOperationCacheFiller<R>> void bind(S source) {
    this.cache = source;
    this.recent = source;
  }

  /**
   * Binds a cache that this process never writes through, such as the controller's own cache of
   * SchemaMigrations ({@code EventSourceContext#getPrimaryCache()}).
   */
  public void bindReadOnly(ResourceCache<R> source) {
    this.cache = source;
    this.recent = null;
  }

  @Override
  public Optional<R> get(String namespace, String name) {
    return bound().get(new ResourceID(name, namespace));
  }

  @Override
  public List<R> list(String namespace, Predicate<R> filter) {
    return bound().list(namespace, filter).toList();
  }

  @Override
  public void created(R created) {
    writable().handleRecentResourceCreate(ResourceID.fromResource(created), created);
  }

  @Override
  public void updated(R updated, R previous) {
    writable().handleRecentResourceUpdate(ResourceID.fromResource(updated), updated, previous);
  }

  private ResourceCache<R> bound() {
    ResourceCache<R> bound = cache;
    if (bound == null) {
      throw new IllegalStateException("the " + kind + " cache is read before its informer was registered");
    }
    return bound;
  }

  private RecentOperationCacheFiller<R> writable() {
    bound();
    RecentOperationCacheFiller<R> filler = recent;
    if (filler == null) {
      throw new IllegalStateException("the " + kind + " cache is read-only: this process does not write " + kind);
    }
    return filler;
  }
}
