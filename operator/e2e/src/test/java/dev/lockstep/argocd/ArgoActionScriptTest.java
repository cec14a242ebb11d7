package dev.lockstep.argocd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@code actions/action_test.yaml} under {@code argocd/resource_customizations}, case by case
 * as Argo CD's {@code TestLuaResourceActionsScript} runs them: discovery with the open libraries,
 * each discovered action compared with the expected list (and once more without them, as Argo CD runs
 * a discovery script from {@code argocd-cm}); actions without them (as the API server
 * runs them), the returned object cleaned as Argo CD cleans it and compared with the expected output,
 * or the error with the expected message. Stricter than Argo CD in two places, so a case that passes
 * here passes there: discovery must find every expected action, and the output must equal the expected
 * object (Argo CD's diff ignores fields the expected object leaves out).
 */
class ArgoActionScriptTest {

  /** Argo CD's ResourceAction, as the discovery test compares it. */
  record ResourceAction(String name, JsonNode params, boolean disabled, String iconClass, String displayName) {}

  @TestFactory
  List<DynamicTest> everyCaseOfEveryActionTest() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Path testFile : ResourceCustomizations.find("action_test.yaml")) {
      Path dir = testFile.getParent();
      String prefix = ResourceCustomizations.name(dir.getParent()) + "/";
      JsonNode suite = ResourceCustomizations.readYaml(testFile);
      for (JsonNode test : suite.path("discoveryTests")) {
        String inputPath = test.path("inputPath").asText();
        tests.add(DynamicTest.dynamicTest(prefix + "discovery/" + inputPath, () -> {
          List<ResourceAction> expected = new ArrayList<>();
          test.path("result").forEach(action -> expected.add(resourceAction(action.path("name").asText(), action)));
          List<ResourceAction> discovered = discover(ResourceCustomizations.read(dir.resolve("discovery.lua")),
              ResourceCustomizations.readYaml(dir.resolve(inputPath)));
          for (ResourceAction action : discovered) {
            assertThat(expected).as("the expected actions of " + inputPath).contains(action);
          }
          assertThat(discovered).as("every expected action is discovered").containsExactlyInAnyOrderElementsOf(expected);
          assertThat(discover(ResourceCustomizations.read(dir.resolve("discovery.lua")),
              ResourceCustomizations.readYaml(dir.resolve(inputPath)), false))
              .as("the same from argocd-cm, without the open libraries").containsExactlyInAnyOrderElementsOf(expected);
        }));
      }
      for (JsonNode test : suite.path("actionTests")) {
        String action = test.path("action").asText();
        String inputPath = test.path("inputPath").asText();
        tests.add(DynamicTest.dynamicTest(prefix + "actions/" + action + "/" + inputPath, () -> {
          JsonNode source = ResourceCustomizations.readYaml(dir.resolve(inputPath));
          String lua = ResourceCustomizations.read(dir.resolve(action).resolve("action.lua"));
          Map<String, String> parameters = new LinkedHashMap<>();
          test.path("parameters").fields().forEachRemaining(p -> parameters.put(p.getKey(), p.getValue().asText()));
          String expectedError = test.path("expectedErrorMessage").asText("");
          if (!expectedError.isEmpty()) {
            assertThatThrownBy(() -> execute(lua, source, parameters))
                .isInstanceOf(ArgoLuaVm.ScriptError.class).hasMessage(expectedError);
            return;
          }
          List<JsonNode> expected = expectedObjects(dir.resolve(test.path("expectedOutputPath").asText()));
          List<JsonNode> impacted = execute(lua, source, parameters);
          assertThat(impacted).isNotEmpty();
          for (JsonNode result : impacted) {
            JsonNode match = expected.stream().filter(e -> sameObject(e, result)).findFirst().orElse(null);
            assertThat(match).as("an expected object with the kind, name and namespace of the result").isNotNull();
            assertThat(ResourceCustomizations.numbersByValue(result))
                .isEqualTo(ResourceCustomizations.numbersByValue(match));
          }
        }));
      }
    }
    return tests;
  }

  @Test
  void theLockstepActionsAreThere() {
    Path actions = ResourceCustomizations.root().resolve("lockstep.dev/SchemaMigration/actions");
    assertThat(ResourceCustomizations.find("action_test.yaml")).contains(actions.resolve("action_test.yaml"));
    for (String action : List.of("approve", "pause", "resume", "abort", "retry", "repair")) {
      assertThat(actions.resolve(action).resolve("action.lua")).exists();
    }
  }

  @Test
  void anActionChangingTheWrongFieldFails() throws Exception {
    Path dir = ResourceCustomizations.root().resolve("lockstep.dev/SchemaMigration/actions");
    JsonNode source = ResourceCustomizations.readYaml(dir.resolve("testdata/progressing.yaml"));
    JsonNode expected = ResourceCustomizations.readYaml(dir.resolve("testdata/progressing_pause_requested.yaml"));
    JsonNode wrong = execute("obj.metadata.annotations[\"lockstep.dev/pause\"] = \"yes\"\nreturn obj", source, Map.of()).get(0);
    assertThat(ResourceCustomizations.numbersByValue(wrong)).isNotEqualTo(ResourceCustomizations.numbersByValue(expected));
    JsonNode right = execute(ResourceCustomizations.read(dir.resolve("pause/action.lua")), source, Map.of()).get(0);
    assertThat(ResourceCustomizations.numbersByValue(right)).isEqualTo(ResourceCustomizations.numbersByValue(expected));
  }

  /** As Argo CD's ExecuteResourceActionDiscovery for one script. */
  static List<ResourceAction> discover(String lua, JsonNode obj) throws ArgoLuaVm.ScriptError {
    return discover(lua, obj, true);
  }

  static List<ResourceAction> discover(String lua, JsonNode obj, boolean openLibs) throws ArgoLuaVm.ScriptError {
    JsonNode result = new ArgoLuaVm(openLibs).run(lua, obj, Map.of());
    if (result == null || !(result.isObject() || result.isArray())) {
      throw new ArgoLuaVm.ScriptError("expect table output from Lua script, not " + (result == null ? "nil" : result.getNodeType()));
    }
    List<ResourceAction> actions = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> fields = result.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      actions.add(resourceAction(field.getKey(), field.getValue()));
    }
    return actions;
  }

  private static ResourceAction resourceAction(String name, JsonNode value) {
    if (!value.isObject()) {
      return new ResourceAction(name, null, false, "", "");
    }
    JsonNode params = value.path("params");
    return new ResourceAction(name, params.isArray() && !params.isEmpty() ? params : null,
        value.path("disabled").asBoolean(false), value.path("iconClass").asText(""), value.path("displayName").asText(""));
  }

  /** As Argo CD's ExecuteResourceAction: the impacted objects, patches cleaned against the source. */
  static List<JsonNode> execute(String lua, JsonNode source, Map<String, String> parameters)
      throws ArgoLuaVm.ScriptError {
    JsonNode result = new ArgoLuaVm(false).run(lua, source, parameters);
    if (result == null || !(result.isObject() || result.isArray())) {
      throw new ArgoLuaVm.ScriptError("expect table output from Lua script, not " + (result == null ? "nil" : result.getNodeType()));
    }
    List<JsonNode> impacted = new ArrayList<>();
    if (result.isArray()) {
      for (JsonNode item : result) {
        String operation = item.path("operation").asText();
        if (!operation.equals("patch") && !operation.equals("create")) {
          throw new ArgoLuaVm.ScriptError("unsupported operation: \"" + operation + "\"");
        }
        JsonNode resource = item.path("resource");
        if (operation.equals("patch")) {
          assertThat(sameObject(resource, source)).as("a patch changes the source object only").isTrue();
          resource = clean(resource, source);
        }
        impacted.add(resource);
      }
    } else {
      impacted.add(clean(result, source));
    }
    return impacted;
  }

  /** Argo CD's cleanReturnedObj: an empty table Lua returned where the source had an object is {}. */
  static JsonNode clean(JsonNode returned, JsonNode source) {
    if (returned.isObject() && source != null && source.isObject()) {
      ObjectNode cleaned = ((ObjectNode) returned).deepCopy();
      for (Iterator<String> keys = source.fieldNames(); keys.hasNext(); ) {
        String key = keys.next();
        JsonNode value = cleaned.get(key);
        JsonNode old = source.get(key);
        if (value == null) {
          continue;
        }
        if (value.isArray() && value.isEmpty() && old.isObject()) {
          cleaned.set(key, JsonNodeFactory.instance.objectNode());
        } else {
          cleaned.set(key, clean(value, old));
        }
      }
      return cleaned;
    }
    if (returned.isArray() && source != null && source.isArray()) {
      var cleaned = JsonNodeFactory.instance.arrayNode();
      for (int i = 0; i < returned.size(); i++) {
        cleaned.add(i < source.size() ? clean(returned.get(i), source.get(i)) : returned.get(i));
      }
      return cleaned;
    }
    return returned;
  }

  private static boolean sameObject(JsonNode a, JsonNode b) {
    return a.path("apiVersion").equals(b.path("apiVersion")) && a.path("kind").equals(b.path("kind"))
        && a.path("metadata").path("name").equals(b.path("metadata").path("name"))
        && a.path("metadata").path("namespace").equals(b.path("metadata").path("namespace"));
  }

  /** The expected output: one object, or (new-style actions) a list of {unstructuredObj: ...}. */
  private static List<JsonNode> expectedObjects(Path file) throws Exception {
    String text = Files.readString(file);
    if (text.startsWith("-")) {
      List<JsonNode> objects = new ArrayList<>();
      ResourceCustomizations.YAML.readTree(text).forEach(item -> objects.add(item.path("unstructuredObj")));
      return objects;
    }
    return List.of(ResourceCustomizations.YAML.readTree(text));
  }
}
