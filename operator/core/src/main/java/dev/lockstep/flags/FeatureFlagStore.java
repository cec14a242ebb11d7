package dev.lockstep.flags;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Flags in an OpenFeature Operator {@code FeatureFlag} ({@code core.openfeature.dev/v1beta1}), at
 * {@code spec.flagSpec.flags.<key>}. Read as a generic resource: lockstep needs no typed dependency on
 * the OpenFeature Operator. A change is a JSON patch of just the members of the one flag that change
 * (in practice {@code defaultVariant} and {@code targeting}), carrying the resourceVersion it was
 * computed from; a restore is a JSON patch that puts the saved flag object back whole. JSON patch rather
 * than merge patch: it says "remove targeting" exactly, where a merge patch says {@code "targeting": null},
 * which the mock API server of tests and rehearsals stores as a null instead of removing.
 */
final class FeatureFlagStore implements FlagStore {

  static final ResourceDefinitionContext FEATURE_FLAG = new ResourceDefinitionContext.Builder()
      .withGroup("core.openfeature.dev")
      .withVersion("v1beta1")
      .withKind("FeatureFlag")
      .withPlural("featureflags")
      .withNamespaced(true)
      .build();

  private final KubernetesClient client;
  private final String namespace;
  private final String name;

  FeatureFlagStore(KubernetesClient client, String namespace, String name) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
  }

  @Override
  public String description() {
    return "FeatureFlag " + name;
  }

  @Override
  public FlagSet read() {
    return flagSet(fetch());
  }

  @Override
  public FlagWrite update(String key, Function<FlagDefinition, ObjectNode> change) {
    return FlagStores.retryingConflicts(() -> {
      GenericKubernetesResource resource = fetch();
      FlagDefinition before = flagSet(resource).require(key);
      ObjectNode desired = change.apply(before);
      if (before.sameAs(desired)) {
        return new FlagWrite(before, before, false);
      }
      ArrayNode patch = FlagJson.MAPPER.createArrayNode();
      // Setting the resourceVersion read makes the API server refuse the patch (409 Conflict) if the
      // resource changed since the read the new definition was computed from.
      patch.addObject().put("op", "replace").put("path", "/metadata/resourceVersion")
          .put("value", resource.getMetadata().getResourceVersion());
      JsonPatchOps.diff(patch, flagPath(key), before.tree(), desired);
      GenericKubernetesResource patched =
          resource().patch(FlagStores.patch(PatchType.JSON), FlagJson.write(patch));
      return new FlagWrite(before, flagSet(patched).require(key), true);
    });
  }

  @Override
  public boolean restore(String key, String savedDefinition) {
    ObjectNode saved = FlagJson.parseObject(savedDefinition, "the saved definition of flag " + key);
    Optional<FlagDefinition> current = read().flag(key);
    if (current.isPresent() && current.get().json().equals(savedDefinition)) {
      return false;
    }
    // "add" of an object member replaces it whole (and re-creates a flag someone deleted): the flag
    // becomes the saved object, while state and every other flag stay as they are now.
    ArrayNode patch = FlagJson.MAPPER.createArrayNode();
    JsonPatchOps.add(patch, flagPath(key), saved);
    resource().patch(FlagStores.patch(PatchType.JSON), FlagJson.write(patch));
    return true;
  }

  private Resource<GenericKubernetesResource> resource() {
    return client.genericKubernetesResources(FEATURE_FLAG).inNamespace(namespace).withName(name);
  }

  private GenericKubernetesResource fetch() {
    GenericKubernetesResource resource = resource().get();
    if (resource == null) {
      throw new FlagException(description() + " not found in namespace " + namespace
          + "; create it or fix spec.flagSource.featureFlag.name");
    }
    return resource;
  }

  private FlagSet flagSet(GenericKubernetesResource resource) {
    JsonNode flagSpec = FlagJson.MAPPER.valueToTree(resource.getAdditionalProperties().get("spec")).path("flagSpec");
    if (!(flagSpec.get("flags") instanceof ObjectNode flags)) {
      throw new FlagException(description() + " has no spec.flagSpec.flags");
    }
    Map<String, FlagDefinition> definitions = new LinkedHashMap<>();
    flags.fields().forEachRemaining(flag -> {
      if (!(flag.getValue() instanceof ObjectNode definition)) {
        throw new FlagException(description() + ": flag " + flag.getKey() + " must be an object");
      }
      definitions.put(flag.getKey(), FlagDefinition.of(flag.getKey(), definition));
    });
    JsonNode evaluators = flagSpec.get("$evaluators");
    return new FlagSet(description(), definitions, evaluators instanceof ObjectNode object ? object : null);
  }

  private static String flagPath(String key) {
    return "/spec/flagSpec/flags/" + JsonPatchOps.token(key);
  }
}
