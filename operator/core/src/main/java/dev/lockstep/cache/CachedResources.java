package dev.lockstep.cache;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Resources of one kind as an informer holds them: reads cost no request to the API server. What
 * this process has just written is handed back with {@link #created} or {@link #updated}, so the
 * next read sees it even before the informer's watch delivers it.
 *
 * @param <R> the kind
 */
public interface CachedResources<R extends HasMetadata> {

  /** The object named {@code name} in {@code namespace}, as last seen. */
  Optional<R> get(String namespace, String name);

  /** The objects of {@code namespace} that match {@code filter}, in no particular order. */
  List<R> list(String namespace, Predicate<R> filter);

  /** {@code created} was just created by this process (the API server's answer). */
  void created(R created);

  /** {@code updated} (the API server's answer) just replaced {@code previous}. */
  void updated(R updated, R previous);
}
