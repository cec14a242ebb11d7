package dev.lockstep.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@code health.lua} under {@code argocd/resource_customizations} against its
 * {@code health_test.yaml}, case by case as Argo CD's {@code TestLuaHealthScript} runs them (open
 * libraries, the resource as {@code obj}, the returned table read as a HealthStatus), and once more
 * without the open libraries, as Argo CD runs a health script from {@code argocd-cm} unless
 * {@code useOpenLibs} is set.
 */
class ArgoHealthScriptTest {

  /** Argo CD's valid health status codes (gitops-engine's health package). */
  private static final Set<String> VALID = Set.of("Unknown", "Progressing", "Suspended", "Healthy", "Degraded", "Missing");

  record HealthStatus(String status, String message) {}

  @TestFactory
  List<DynamicTest> everyCaseOfEveryHealthTest() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Path script : ResourceCustomizations.find("health.lua")) {
      Path dir = script.getParent();
      JsonNode cases = ResourceCustomizations.readYaml(dir.resolve("health_test.yaml")).path("tests");
      String lua = ResourceCustomizations.read(script);
      for (JsonNode test : cases) {
        String inputPath = test.path("inputPath").asText();
        HealthStatus expected = new HealthStatus(test.path("healthStatus").path("status").asText(""),
            test.path("healthStatus").path("message").asText(""));
        JsonNode obj = ResourceCustomizations.readYaml(dir.resolve(inputPath));
        String name = ResourceCustomizations.name(dir) + "/" + inputPath;
        tests.add(DynamicTest.dynamicTest(name, () -> assertThat(health(lua, obj, true)).isEqualTo(expected)));
        tests.add(DynamicTest.dynamicTest(name + " (argocd-cm, no open libraries)",
            () -> assertThat(health(lua, obj, false)).isEqualTo(expected)));
      }
    }
    return tests;
  }

  @Test
  void theLockstepHealthScriptIsThereAndCoversEveryPhase() {
    Path dir = ResourceCustomizations.root().resolve("lockstep.dev/SchemaMigration");
    String lua = ResourceCustomizations.read(dir.resolve("health.lua"));
    assertThat(ResourceCustomizations.find("health.lua")).contains(dir.resolve("health.lua"));
    for (dev.lockstep.api.Phase phase : dev.lockstep.api.Phase.values()) {
      assertThat(lua).as("health.lua maps phase %s", phase).contains(phase.name() + " = \"");
    }
  }

  @Test
  void aScriptThatReturnsAnInvalidStatusIsUnknownAsInArgoCd() throws Exception {
    assertThat(health("return {status = \"Fine\"}", null, true))
        .isEqualTo(new HealthStatus("Unknown", "Lua returned an invalid health status"));
    assertThat(health("return nil", null, true)).isEqualTo(new HealthStatus("", ""));
  }

  @Test
  void aScriptUsingTheStringLibraryFailsWithoutOpenLibraries() {
    String lua = "return {status = string.upper(\"healthy\")}";
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> health(lua, null, false))
        .isInstanceOf(ArgoLuaVm.ScriptError.class);
  }

  /** As Argo CD's ExecuteHealthLua. */
  static HealthStatus health(String lua, JsonNode obj, boolean openLibs) throws ArgoLuaVm.ScriptError {
    JsonNode result = new ArgoLuaVm(openLibs).run(lua, obj, Map.of());
    if (result == null || result.isArray()) {
      return new HealthStatus("", "");
    }
    if (!result.isObject()) {
      throw new ArgoLuaVm.ScriptError("expect table output from Lua script, not " + result.getNodeType());
    }
    HealthStatus status = new HealthStatus(result.path("status").asText(""), result.path("message").asText(""));
    return VALID.contains(status.status()) ? status : new HealthStatus("Unknown", "Lua returned an invalid health status");
  }
}
