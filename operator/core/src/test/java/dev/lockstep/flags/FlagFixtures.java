package dev.lockstep.flags;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.api.FeatureFlagRef;
import dev.lockstep.api.FlagChange;
import dev.lockstep.api.FlagConfigMapRef;
import dev.lockstep.api.FlagSource;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Flag sources as a team would write them, and helpers to put them in the mock API server. */
final class FlagFixtures {

  static final String NAMESPACE = "orders";
  static final String DUAL_WRITE = "orders-currency-dual-write";
  static final String READ_NEW = "orders-currency-read-new";
  static final String THEME = "checkout-theme";

  /** A hand-formatted flagd document: lockstep must keep every character it does not change. */
  static final String FLAGD_JSON = """
      {
        "$schema": "https://flagd.dev/schema/v0/flags.json",
        "flags": {
          "orders-currency-dual-write": {
            "state": "ENABLED",
            "variants": { "on": true, "off": false },
            "defaultVariant": "off"
          },
          "orders-currency-read-new": {
            "state": "ENABLED",
            "variants": {
              "on": true,
              "off": false
            },
            "defaultVariant": "off",
            "metadata": { "owner": "orders-team", "ratio": 1.50 }
          },
          "checkout-theme": {
            "state": "ENABLED",
            "variants": {"light": "light", "dark": "dark"},
            "defaultVariant": "light",
            "targeting": {"if": [{"$ref": "staff"}, "dark", null]}
          }
        },
        "$evaluators": {
          "staff": {"ends_with": [{"var": "email"}, "@example.com"]}
        }
      }
      """;

  private FlagFixtures() {}

  static FlagChange change(String flag, String variant, Integer percent) {
    FlagChange change = new FlagChange();
    change.setFlag(flag);
    change.setVariant(variant);
    change.setPercent(percent);
    return change;
  }

  static FlagSource featureFlagSource(String name) {
    FeatureFlagRef ref = new FeatureFlagRef();
    ref.setName(name);
    FlagSource source = new FlagSource();
    source.setFeatureFlag(ref);
    return source;
  }

  static FlagSource configMapSource(String name, String key) {
    FlagConfigMapRef ref = new FlagConfigMapRef();
    ref.setName(name);
    if (key != null) {
      ref.setKey(key);
    }
    FlagSource source = new FlagSource();
    source.setConfigMap(ref);
    return source;
  }

  /** A FeatureFlag resource whose flagSpec is the fixture document (its flags and evaluators). */
  static GenericKubernetesResource createFeatureFlag(KubernetesClient client, String name) {
    JsonNode document = Serialization.unmarshal(FLAGD_JSON, JsonNode.class);
    ObjectNode flagSpec = FlagJson.MAPPER.createObjectNode();
    flagSpec.set("flags", document.get("flags"));
    flagSpec.set("$evaluators", document.get("$evaluators"));
    GenericKubernetesResource resource = new GenericKubernetesResourceBuilder()
        .withApiVersion("core.openfeature.dev/v1beta1")
        .withKind("FeatureFlag")
        .withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
        .withAdditionalProperties(Map.of("spec", Map.of("flagSpec",
            FlagJson.MAPPER.convertValue(flagSpec, Map.class))))
        .build();
    return client.genericKubernetesResources(FeatureFlagStore.FEATURE_FLAG).inNamespace(NAMESPACE)
        .resource(resource).create();
  }

  static GenericKubernetesResource getFeatureFlag(KubernetesClient client, String name) {
    return client.genericKubernetesResources(FeatureFlagStore.FEATURE_FLAG).inNamespace(NAMESPACE)
        .withName(name).get();
  }

  static void createConfigMap(KubernetesClient client, String name, String key, String document) {
    client.configMaps().inNamespace(NAMESPACE).resource(new ConfigMapBuilder()
        .withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
        .addToData(key, document)
        .addToData("README", "flags for the orders service")
        .build()).create();
  }

  /** Every request the mock server received since the last call. */
  static List<RecordedRequest> takeRequests(KubernetesMockServer server) throws InterruptedException {
    List<RecordedRequest> requests = new ArrayList<>();
    for (RecordedRequest request; (request = server.takeRequest(0, TimeUnit.SECONDS)) != null; ) {
      requests.add(request);
    }
    return requests;
  }

  /** The resource as JSON, without the fields every write changes (resourceVersion, generation). */
  static ObjectNode withoutVersions(Object resource) {
    ObjectNode json = FlagJson.MAPPER.valueToTree(resource);
    ObjectNode metadata = (ObjectNode) json.get("metadata");
    metadata.remove("resourceVersion");
    metadata.remove("generation");
    metadata.remove("managedFields");
    return json;
  }
}
