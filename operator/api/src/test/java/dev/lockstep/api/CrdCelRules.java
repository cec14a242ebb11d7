package dev.lockstep.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code x-kubernetes-validations} rules of a CRD, compiled and evaluated with CEL-Java roughly the
 * way the API server does it with cel-go:
 *
 * <ul>
 *   <li>{@code self} is typed from the schema node the rule sits on (objects with properties become
 *       struct types, so {@code has(self.typo)} does not compile, as in Kubernetes), and every rule must
 *       return a bool;
 *   <li>the standard macros ({@code has}, {@code all}, {@code exists_one}, ...) are on; the Kubernetes
 *       extension libraries (strings, lists, quantity, isURL, ...) are not, so a rule that uses one fails
 *       to compile here and needs this class extended;
 *   <li>a rule on a node runs once for every place that node occurs in the object (each element of an
 *       array, each value of a map), and not at all where the node is absent;
 *   <li>values follow the schema: integers are {@code int} (Java {@code long}), {@code number} fields are
 *       {@code double} even when written as 1, and a field the schema does not know is an error (what
 *       kubectl's strict field validation does) so that a typo in a sample cannot pass unnoticed.
 * </ul>
 */
final class CrdCelRules {

  /** A path segment meaning "each element of this array". */
  static final String ITEMS = "[*]";
  /** A path segment meaning "each value of this map" (additionalProperties). */
  static final String VALUES = "{*}";

  /** One rule, where it sits, and its compiled program (or why it does not compile). */
  record Rule(List<String> path, JsonNode schema, String expression, String message,
      CelRuntime.Program program, String compileError) {

    /** The schema path, for example {@code spec.steps[*].wait}. */
    String where() {
      return render(path);
    }

    /** How tests name a rule: its path and message. */
    String id() {
      return where() + ": " + message;
    }

    @Override
    public String toString() {
      return id();
    }
  }

  /** The result of one rule at one place in an object. */
  record Outcome(Rule rule, String at, boolean passed, String error) {

    @Override
    public String toString() {
      return rule.id() + " at " + at + (passed ? " passed" : error == null ? " failed" : " errored: " + error);
    }
  }

  private static final YAMLMapper YAML = new YAMLMapper();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

  private final JsonNode crdVersion;
  private final JsonNode rootSchema;
  private final List<Rule> rules = new ArrayList<>();

  private CrdCelRules(JsonNode crdVersion) {
    this.crdVersion = crdVersion;
    this.rootSchema = crdVersion.path("schema").path("openAPIV3Schema");
    collect(rootSchema, List.of());
  }

  /** Loads the storage version of the CRD in {@code file}. */
  static CrdCelRules load(Path file) throws IOException {
    JsonNode crd = YAML.readTree(file.toFile());
    for (JsonNode version : crd.path("spec").path("versions")) {
      if (version.path("storage").asBoolean()) {
        return new CrdCelRules(version);
      }
    }
    throw new IllegalArgumentException(file + " has no storage version");
  }

  List<Rule> rules() {
    return List.copyOf(rules);
  }

  /** The schema node at a path such as {@code spec.steps} (property names only). */
  JsonNode schemaAt(String dottedPath) {
    JsonNode node = rootSchema;
    for (String name : dottedPath.split("\\.")) {
      node = node.path("properties").path(name);
    }
    return node;
  }

  String versionName() {
    return crdVersion.path("name").asText();
  }

  /** Every rule evaluated at every place it applies to in {@code manifestYaml}. */
  List<Outcome> evaluate(String manifestYaml) throws IOException {
    return evaluate(YAML.readTree(manifestYaml));
  }

  List<Outcome> evaluate(JsonNode manifest) {
    Object self = toCel(manifest, rootSchema, "", true);
    List<Outcome> outcomes = new ArrayList<>();
    for (Rule rule : rules) {
      if (rule.program() == null) {
        throw new IllegalStateException("rule at " + rule.where() + " does not compile: " + rule.compileError());
      }
      Map<String, Object> found = new LinkedHashMap<>();
      locate(self, rule.path(), 0, "", found);
      found.forEach((at, value) -> outcomes.add(run(rule, at, value)));
    }
    return outcomes;
  }

  /** Only the rules that did not pass. */
  List<Outcome> violations(String manifestYaml) throws IOException {
    return evaluate(manifestYaml).stream().filter(o -> !o.passed()).toList();
  }

  private static Outcome run(Rule rule, String at, Object self) {
    try {
      Object result = rule.program().eval(Map.of("self", self));
      return new Outcome(rule, at, Boolean.TRUE.equals(result), null);
    } catch (CelEvaluationException e) {
      return new Outcome(rule, at, false, e.getMessage());
    }
  }

  // ---- collecting and compiling -------------------------------------------------------------

  private void collect(JsonNode schema, List<String> path) {
    for (JsonNode validation : schema.path("x-kubernetes-validations")) {
      String expression = validation.path("rule").asText();
      String message = validation.hasNonNull("message")
          ? validation.get("message").asText()
          : "failed rule: " + expression; // what the API server says without a message
      rules.add(compile(path, schema, expression, message));
    }
    for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
      collect(property.getValue(), append(path, property.getKey()));
    }
    if (schema.has("items")) {
      collect(schema.get("items"), append(path, ITEMS));
    }
    if (schema.path("additionalProperties").isObject()) {
      collect(schema.get("additionalProperties"), append(path, VALUES));
    }
  }

  private static Rule compile(List<String> path, JsonNode schema, String expression, String message) {
    Map<String, CelType> structs = new LinkedHashMap<>();
    CelType selfType = typeOf(schema, "self" + (path.isEmpty() ? "" : "." + render(path)), structs, path.isEmpty());
    CelTypeProvider provider = new CelTypeProvider() {
      @Override
      public ImmutableCollection<CelType> types() {
        return ImmutableList.copyOf(structs.values());
      }

      @Override
      public Optional<CelType> findType(String typeName) {
        return Optional.ofNullable(structs.get(typeName));
      }
    };
    CelCompiler compiler = CelCompilerFactory.standardCelCompilerBuilder()
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
        .setTypeProvider(provider)
        .addVar("self", selfType)
        .setResultType(SimpleType.BOOL)
        .build();
    CelValidationResult result = compiler.compile(expression);
    if (result.hasError()) {
      return new Rule(path, schema, expression, message, null, result.getIssueString());
    }
    try {
      CelAbstractSyntaxTree ast = result.getAst();
      return new Rule(path, schema, expression, message, RUNTIME.createProgram(ast), null);
    } catch (CelValidationException | CelEvaluationException e) {
      return new Rule(path, schema, expression, message, null, e.getMessage());
    }
  }

  /** The CEL type Kubernetes gives a schema node (formats such as date-time are not mapped). */
  private static CelType typeOf(JsonNode schema, String name, Map<String, CelType> structs, boolean root) {
    if (schema.path("x-kubernetes-int-or-string").asBoolean()) {
      return SimpleType.DYN;
    }
    switch (schema.path("type").asText()) {
      case "string":
        return SimpleType.STRING;
      case "integer":
        return SimpleType.INT;
      case "number":
        return SimpleType.DOUBLE;
      case "boolean":
        return SimpleType.BOOL;
      case "array":
        return ListType.create(typeOf(schema.path("items"), name + ".@items", structs, false));
      case "object":
        if (schema.has("properties")) {
          Map<String, CelType> fields = new LinkedHashMap<>();
          for (Map.Entry<String, JsonNode> property : schema.get("properties").properties()) {
            fields.put(property.getKey(),
                typeOf(property.getValue(), name + "." + property.getKey(), structs, false));
          }
          if (root) { // the API server adds these to the root of every custom resource
            fields.putIfAbsent("apiVersion", SimpleType.STRING);
            fields.putIfAbsent("kind", SimpleType.STRING);
            fields.putIfAbsent("metadata", SimpleType.DYN);
          }
          ImmutableMap<String, CelType> byName = ImmutableMap.copyOf(fields);
          StructType type = StructType.create(name, ImmutableSet.copyOf(byName.keySet()),
              field -> Optional.ofNullable(byName.get(field)));
          structs.put(name, type);
          return type;
        }
        if (schema.path("additionalProperties").isObject()) {
          return MapType.create(SimpleType.STRING,
              typeOf(schema.get("additionalProperties"), name + ".@values", structs, false));
        }
        return SimpleType.DYN;
      default:
        return SimpleType.DYN;
    }
  }

  // ---- values -------------------------------------------------------------------------------

  /** A manifest node as the CEL value Kubernetes would bind, typed by its schema. */
  private static Object toCel(JsonNode value, JsonNode schema, String at, boolean root) {
    if (value.isObject()) {
      Map<String, Object> object = new LinkedHashMap<>();
      JsonNode properties = schema.path("properties");
      JsonNode additional = schema.path("additionalProperties");
      boolean open = schema.isMissingNode() || schema.path("x-kubernetes-preserve-unknown-fields").asBoolean()
          || additional.asBoolean() || (!schema.has("properties") && !additional.isObject());
      for (Map.Entry<String, JsonNode> field : value.properties()) {
        String name = field.getKey();
        String where = at.isEmpty() ? name : at + "." + name;
        if (field.getValue().isNull()) {
          continue; // null is absent for a field that is not nullable
        }
        JsonNode fieldSchema;
        if (properties.has(name)) {
          fieldSchema = properties.get(name);
        } else if (additional.isObject()) {
          fieldSchema = additional;
        } else if (open || (root && Set.of("apiVersion", "kind", "metadata").contains(name))) {
          fieldSchema = MissingNode.getInstance();
        } else {
          throw new IllegalArgumentException("unknown field " + where + " (not in the CRD schema)");
        }
        object.put(name, toCel(field.getValue(), fieldSchema, where, false));
      }
      return object;
    }
    if (value.isArray()) {
      List<Object> list = new ArrayList<>();
      for (int i = 0; i < value.size(); i++) {
        list.add(toCel(value.get(i), schema.path("items"), at + "[" + i + "]", false));
      }
      return list;
    }
    if (value.isNumber()) {
      boolean integral = value.isIntegralNumber() && !"number".equals(schema.path("type").asText());
      return integral ? (Object) value.longValue() : (Object) value.doubleValue();
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    if (value.isTextual()) {
      return value.textValue();
    }
    throw new IllegalArgumentException("cannot bind " + value.getNodeType() + " at " + at);
  }

  /** Finds every place {@code path} occurs in {@code value}, by its path in the object. */
  private static void locate(Object value, List<String> path, int i, String at, Map<String, Object> found) {
    if (i == path.size()) {
      found.put(at.isEmpty() ? "<root>" : at, value);
      return;
    }
    String segment = path.get(i);
    if (segment.equals(ITEMS)) {
      if (value instanceof List<?> list) {
        for (int j = 0; j < list.size(); j++) {
          locate(list.get(j), path, i + 1, at + "[" + j + "]", found);
        }
      }
    } else if (segment.equals(VALUES)) {
      if (value instanceof Map<?, ?> map) {
        map.forEach((key, child) -> locate(child, path, i + 1, at + "[" + key + "]", found));
      }
    } else if (value instanceof Map<?, ?> map && map.containsKey(segment)) {
      locate(map.get(segment), path, i + 1, at.isEmpty() ? segment : at + "." + segment, found);
    }
  }

  private static List<String> append(List<String> path, String segment) {
    List<String> longer = new ArrayList<>(path);
    longer.add(segment);
    return List.copyOf(longer);
  }

  private static String render(List<String> path) {
    StringBuilder text = new StringBuilder();
    for (String segment : path) {
      if (!segment.equals(ITEMS) && !segment.equals(VALUES) && text.length() > 0) {
        text.append('.');
      }
      text.append(segment);
    }
    return text.length() == 0 ? "<root>" : text.toString();
  }
}
