package dev.lockstep.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code argocd/argocd-cm.yaml}, the patch that installs the health check, the actions and the
 * ignoreDifferences entry into Argo CD's {@code argocd-cm}, is generated from the Lua files and must
 * embed exactly them; the README shows the same patch. Regenerate with
 * {@code mvn -pl operator test -Dtest=ArgoCdConfigMapTest -Dlockstep.updateArgoCdConfigMap=true}.
 */
class ArgoCdConfigMapTest {

  private static final String KEY = "lockstep.dev_SchemaMigration";
  private static final List<String> ACTIONS = List.of("approve", "pause", "resume", "abort", "retry", "repair");

  @Test
  void theCheckedInPatchIsGeneratedFromTheLuaFiles() throws IOException {
    Path file = configMapFile();
    String generated = render();
    if (Boolean.getBoolean("lockstep.updateArgoCdConfigMap")) {
      Files.writeString(file, generated);
    }
    assertThat(file).as("argocd/argocd-cm.yaml is missing; regenerate it (see this test's comment)").exists();
    assertThat(Files.readString(file))
        .as("argocd/argocd-cm.yaml is out of date with the Lua files; regenerate it (see this test's comment)")
        .isEqualTo(generated);
  }

  @Test
  void thePatchEmbedsTheVeryLuaFilesArgoCdReads() throws IOException {
    JsonNode data = ResourceCustomizations.YAML.readTree(configMapFile().toFile()).path("data");
    Path dir = schemaMigrationDir();
    assertThat(data.path("resource.customizations.health." + KEY).asText())
        .isEqualTo(ResourceCustomizations.read(dir.resolve("health.lua")));
    JsonNode actions = ResourceCustomizations.YAML.readTree(data.path("resource.customizations.actions." + KEY).asText());
    assertThat(actions.path("discovery.lua").asText())
        .isEqualTo(ResourceCustomizations.read(dir.resolve("actions/discovery.lua")));
    List<String> names = new ArrayList<>();
    for (JsonNode definition : actions.path("definitions")) {
      String name = definition.path("name").asText();
      names.add(name);
      assertThat(definition.path("action.lua").asText()).as("action " + name)
          .isEqualTo(ResourceCustomizations.read(dir.resolve("actions").resolve(name).resolve("action.lua")));
    }
    assertThat(names).containsExactlyElementsOf(ACTIONS);
    try (Stream<Path> actionDirs = Files.list(dir.resolve("actions"))) {
      assertThat(actionDirs.filter(p -> Files.exists(p.resolve("action.lua"))).map(p -> p.getFileName().toString()))
          .as("every action directory is installed").containsExactlyInAnyOrderElementsOf(ACTIONS);
    }
    JsonNode ignore = ResourceCustomizations.YAML.readTree(
        data.path("resource.customizations.ignoreDifferences.core.openfeature.dev_FeatureFlag").asText());
    assertThat(ignore.path("managedFieldsManagers").get(0).asText()).isEqualTo("lockstep");
  }

  @Test
  void theReadmeShowsThePatchAsItIs() throws IOException {
    String readme = Files.readString(repositoryRoot().resolve("README.md"));
    assertThat(readme).as("the README's GitOps section shows argocd/argocd-cm.yaml verbatim")
        .contains("```yaml\n" + Files.readString(configMapFile()) + "```\n");
  }

  @Test
  void theKustomizeComponentAppliesThePatch() throws IOException {
    JsonNode kustomization = ResourceCustomizations.YAML.readTree(
        repositoryRoot().resolve("argocd/kustomization.yaml").toFile());
    assertThat(kustomization.path("kind").asText()).isEqualTo("Component");
    assertThat(kustomization.path("patches").get(0).path("path").asText()).isEqualTo("argocd-cm.yaml");
  }

  /** The patch, from the Lua files: health, the actions in their order, and the ignoreDifferences entry. */
  static String render() {
    Path dir = schemaMigrationDir();
    StringBuilder yaml = new StringBuilder();
    yaml.append("# Generated from argocd/resource_customizations/lockstep.dev/SchemaMigration; do not edit.\n")
        .append("apiVersion: v1\n")
        .append("kind: ConfigMap\n")
        .append("metadata:\n")
        .append("  name: argocd-cm\n")
        .append("  namespace: argocd\n")
        .append("  labels:\n")
        .append("    app.kubernetes.io/name: argocd-cm\n")
        .append("    app.kubernetes.io/part-of: argocd\n")
        .append("data:\n")
        .append("  resource.customizations.health.").append(KEY).append(": |\n")
        .append(indent(ResourceCustomizations.read(dir.resolve("health.lua")), 4))
        .append("  resource.customizations.actions.").append(KEY).append(": |\n")
        .append("    discovery.lua: |\n")
        .append(indent(ResourceCustomizations.read(dir.resolve("actions/discovery.lua")), 6))
        .append("    definitions:\n");
    for (String action : ACTIONS) {
      yaml.append("      - name: ").append(action).append('\n')
          .append("        action.lua: |\n")
          .append(indent(ResourceCustomizations.read(dir.resolve("actions").resolve(action).resolve("action.lua")), 10));
    }
    yaml.append("  resource.customizations.ignoreDifferences.core.openfeature.dev_FeatureFlag: |\n")
        .append("    managedFieldsManagers:\n")
        .append("      - lockstep\n");
    return yaml.toString();
  }

  private static String indent(String text, int spaces) {
    String prefix = " ".repeat(spaces);
    StringBuilder out = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      out.append(line.isEmpty() ? "" : prefix + line).append('\n');
    }
    // split keeps one empty string after the file's final newline
    return out.substring(0, out.length() - 1);
  }

  private static Path schemaMigrationDir() {
    return ResourceCustomizations.root().resolve("lockstep.dev").resolve("SchemaMigration");
  }

  private static Path repositoryRoot() {
    return ResourceCustomizations.root().getParent().getParent();
  }

  private static Path configMapFile() {
    return repositoryRoot().resolve("argocd").resolve("argocd-cm.yaml");
  }
}
