package dev.lockstep.cache;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A "cache" that asks the API server on every read: never stale, so a test of what a class does
 * with the cluster's state need not wait for an informer. The operator never uses it.
 */
public final class ClientReads<R extends HasMetadata> implements CachedResources<R> {

  private final KubernetesClient client;
  private final Class<R> type;

  public ClientReads(KubernetesClient client, Class<R> type) {
    this.client = client;
    this.type = type;
  }

  @Override
  public Optional<R> get(String namespace, String name) {
    return Optional.ofNullable(client.resources(type).inNamespace(namespace).withName(name).get());
  }

  @Override
  public List<R> list(String namespace, Predicate<R> filter) {
    return client.resources(type).inNamespace(namespace).list().getItems().stream().filter(filter).toList();
  }

  @Override
  public void created(R created) {}

  @Override
  public void updated(R updated, R previous) {}
}
