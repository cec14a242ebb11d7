package dev.lockstep.world.kubelet;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.HttpURLConnection;
import java.util.function.Consumer;

/** Writes the status of an object the way controllers do: read, change, write, and on 409 start over. */
final class StatusWriter {

  private static final int ATTEMPTS = 10;

  private StatusWriter() {}

  /**
   * Applies {@code change} to the latest version of the object and writes its status, unless the
   * change left it as it was. Returns the object as stored, or null when it no longer exists.
   */
  static <T extends HasMetadata> T update(KubernetesClient client, Resource<T> resource, Consumer<T> change) {
    for (int attempt = 1; ; attempt++) {
      T current = resource.get();
      if (current == null) {
        return null;
      }
      String before = Serialization.asJson(current);
      change.accept(current);
      if (before.equals(Serialization.asJson(current))) {
        return current;
      }
      try {
        return client.resource(current).updateStatus();
      } catch (KubernetesClientException e) {
        if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
          return null;
        }
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= ATTEMPTS) {
          throw e;
        }
      }
    }
  }
}
