package dev.lockstep.rehearse;

import dev.lockstep.world.cluster.Manifests;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Every resource of the manifests as the rehearsal left it, read back from the API server. */
final class FinalResources {

  private FinalResources() {}

  /** The live objects, in the manifests' order; a Secret keeps its key names but no values. */
  static List<HasMetadata> read(KubernetesClient client, Manifests manifests) {
    List<HasMetadata> live = new ArrayList<>();
    for (HasMetadata resource : manifests.resources()) {
      HasMetadata current;
      try {
        current = client.resource(resource).get();
      } catch (RuntimeException e) {
        current = null; // a kind the API server does not serve back: nothing to show
      }
      if (current == null) {
        continue;
      }
      live.add(current instanceof Secret secret ? withoutValues(secret) : current);
    }
    return live;
  }

  private static Secret withoutValues(Secret secret) {
    Map<String, String> keys = new TreeMap<>();
    if (secret.getData() != null) {
      secret.getData().keySet().forEach(k -> keys.put(k, "(hidden)"));
    }
    if (secret.getStringData() != null) {
      secret.getStringData().keySet().forEach(k -> keys.put(k, "(hidden)"));
    }
    return new SecretBuilder().withApiVersion(secret.getApiVersion()).withKind(secret.getKind())
        .withNewMetadata().withName(secret.getMetadata().getName()).withNamespace(secret.getMetadata().getNamespace())
        .endMetadata().withType(secret.getType()).withStringData(keys).build();
  }
}
