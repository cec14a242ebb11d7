package dev.lockstep.e2e.badinput;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import java.util.TreeMap;

/**
 * The flags of a namespace as their sources hold them: every ConfigMap's data (flagd JSON lives in
 * one) and every OpenFeature FeatureFlag's spec, with their resource versions, so a write that put
 * back the same content still shows.
 */
final class FlagSnapshot {

  private static final ResourceDefinitionContext FEATURE_FLAGS = new ResourceDefinitionContext.Builder()
      .withGroup("core.openfeature.dev").withVersion("v1beta1").withKind("FeatureFlag").withPlural("featureflags")
      .withNamespaced(true).build();

  private FlagSnapshot() {}

  static Map<String, String> of(KubernetesClient client, String namespace) {
    Map<String, String> snapshot = new TreeMap<>();
    for (ConfigMap map : client.configMaps().inNamespace(namespace).list().getItems()) {
      snapshot.put("ConfigMap " + map.getMetadata().getName(), map.getMetadata().getResourceVersion() + " "
          + Serialization.asJson(new TreeMap<>(map.getData() == null ? Map.of() : map.getData())));
    }
    for (GenericKubernetesResource flag : client.genericKubernetesResources(FEATURE_FLAGS).inNamespace(namespace)
        .list().getItems()) {
      snapshot.put("FeatureFlag " + flag.getMetadata().getName(), flag.getMetadata().getResourceVersion() + " "
          + Serialization.asJson(flag.getAdditionalProperties().get("spec")));
    }
    return snapshot;
  }
}
