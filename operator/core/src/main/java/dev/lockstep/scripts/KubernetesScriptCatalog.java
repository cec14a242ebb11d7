package dev.lockstep.scripts;

import dev.lockstep.api.SchemaMigration;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads script names from the migration's scripts ConfigMap (each key is a file), or from the
 * recorded inspection of its scripts image.
 */
public final class KubernetesScriptCatalog implements ScriptCatalog {

  private final KubernetesClient client;

  public KubernetesScriptCatalog(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public Optional<ScriptInventory> scripts(SchemaMigration migration) {
    if (ScriptCatalog.inImage(migration)) {
      return ScriptCatalog.inspected(migration).map(found ->
          ScriptInventory.of(found.getFiles() == null ? Set.of() : found.getFiles().keySet()));
    }
    return configMap(migration).map(map -> {
      Set<String> files = new HashSet<>();
      if (map.getData() != null) {
        files.addAll(map.getData().keySet());
      }
      if (map.getBinaryData() != null) {
        files.addAll(map.getBinaryData().keySet());
      }
      return ScriptInventory.of(files, ScriptContents.problems(
          map.getData() == null ? Map.of() : map.getData(), map.getBinaryData() == null ? Map.of() : map.getBinaryData()));
    });
  }

  @Override
  public Optional<Map<String, String>> contents(SchemaMigration migration) {
    return configMap(migration).map(map -> map.getData() == null ? Map.of() : Map.copyOf(map.getData()));
  }

  private Optional<ConfigMap> configMap(SchemaMigration migration) {
    var source = migration.getSpec().getScripts();
    if (source == null || source.getConfigMapRef() == null) {
      return Optional.empty();
    }
    String name = source.getConfigMapRef().getName();
    ConfigMap map =
        client.configMaps().inNamespace(migration.getMetadata().getNamespace()).withName(name).get();
    if (map == null) {
      throw new MissingScriptsException("ConfigMap " + name + " does not exist");
    }
    return Optional.of(map);
  }
}
