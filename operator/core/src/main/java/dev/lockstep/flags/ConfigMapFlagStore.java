package dev.lockstep.flags;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Optional;
import java.util.function.Function;

/**
 * Flags in one key of a ConfigMap holding a flagd JSON document. Each write replaces that key's text
 * through a JSON merge patch that carries the resourceVersion it was computed from, so a concurrent
 * edit makes it fail (409) and it is redone on the new text; other keys are not touched. Inside the
 * document only the changed members of the one flag are rewritten (see {@link FlagdDocument}).
 */
final class ConfigMapFlagStore implements FlagStore {

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final String dataKey;

  ConfigMapFlagStore(KubernetesClient client, String namespace, String name, String dataKey) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.dataKey = dataKey;
  }

  @Override
  public String description() {
    return "ConfigMap " + name + " key " + dataKey;
  }

  @Override
  public FlagSet read() {
    return FlagdDocument.read(document(fetch()), description());
  }

  @Override
  public FlagWrite update(String key, Function<FlagDefinition, ObjectNode> change) {
    return FlagStores.retryingConflicts(() -> {
      ConfigMap configMap = fetch();
      String text = document(configMap);
      FlagDefinition before = FlagdDocument.read(text, description()).require(key);
      ObjectNode desired = change.apply(before);
      if (before.sameAs(desired)) {
        return new FlagWrite(before, before, false);
      }
      String written = write(configMap, FlagdDocument.withFlag(text, key, desired, description()));
      return new FlagWrite(before, FlagdDocument.read(written, description()).require(key), true);
    });
  }

  @Override
  public boolean restore(String key, String savedDefinition) {
    FlagJson.parseObject(savedDefinition, "the saved definition of flag " + key);
    return FlagStores.retryingConflicts(() -> {
      ConfigMap configMap = fetch();
      String text = document(configMap);
      Optional<FlagDefinition> current = FlagdDocument.read(text, description()).flag(key);
      if (current.isPresent() && current.get().json().equals(savedDefinition)) {
        return false;
      }
      write(configMap, FlagdDocument.withFlagText(text, key, savedDefinition, description()));
      return true;
    });
  }

  /** Replaces the key's text if the ConfigMap is still at the version read; returns the stored text. */
  private String write(ConfigMap read, String document) {
    ObjectNode patch = FlagJson.MAPPER.createObjectNode();
    patch.putObject("metadata").put("resourceVersion", read.getMetadata().getResourceVersion());
    patch.putObject("data").put(dataKey, document);
    ConfigMap patched = resource().patch(FlagStores.patch(PatchType.JSON_MERGE), FlagJson.write(patch));
    return document(patched);
  }

  private Resource<ConfigMap> resource() {
    return client.configMaps().inNamespace(namespace).withName(name);
  }

  private ConfigMap fetch() {
    ConfigMap configMap = resource().get();
    if (configMap == null) {
      throw new FlagException("ConfigMap " + name + " not found in namespace " + namespace
          + "; create it or fix spec.flagSource.configMap.name");
    }
    return configMap;
  }

  private String document(ConfigMap configMap) {
    String text = configMap.getData() == null ? null : configMap.getData().get(dataKey);
    if (text == null) {
      throw new FlagException("ConfigMap " + name + " has no key " + dataKey
          + "; put the flagd JSON there or set spec.flagSource.configMap.key");
    }
    return text;
  }
}
