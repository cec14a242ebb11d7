package dev.lockstep.flags;

import dev.lockstep.api.FlagSource;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Opens the flag source a migration names ({@code spec.flagSource}), in its namespace. */
@FunctionalInterface
public interface FlagSources {

  /**
   * @throws FlagException when {@code source} is missing or names no source, or both
   */
  FlagStore open(String namespace, FlagSource source);

  /** The FeatureFlag resources and ConfigMaps of the cluster {@code client} talks to. */
  static FlagSources in(KubernetesClient client) {
    return (namespace, source) -> FlagStores.forSource(client, namespace, source);
  }
}
