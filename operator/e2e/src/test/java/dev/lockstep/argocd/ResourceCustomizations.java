package dev.lockstep.argocd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The repository's {@code argocd/resource_customizations/}, laid out as Argo CD's own
 * {@code resource_customizations/<group>/<Kind>/}, and the file reading Argo CD's tests do.
 */
final class ResourceCustomizations {

  static final ObjectMapper YAML = new YAMLMapper();

  private ResourceCustomizations() {}

  /** {@code argocd/resource_customizations}, found from the module directory upwards. */
  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("argocd").resolve("resource_customizations");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("no argocd/resource_customizations above " + Path.of("").toAbsolutePath());
  }

  /** The files named {@code fileName} anywhere below the root, as Argo CD's filepath.Walk finds them. */
  static List<Path> find(String fileName) {
    try (Stream<Path> files = Files.walk(root())) {
      return files.filter(path -> path.getFileName().toString().equals(fileName)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode readYaml(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code group/Kind} of a customization directory, as Argo CD names the test. */
  static String name(Path dir) {
    return root().relativize(dir).toString().replace('\\', '/');
  }

  /**
   * The tree with every integral number as a long and every other number as a double: YAML reads
   * {@code 2} as an int, Lua hands back a double, and Argo CD's diff compares values, not types.
   */
  static JsonNode numbersByValue(JsonNode node) {
    JsonNodeFactory json = JsonNodeFactory.instance;
    if (node == null) {
      return json.nullNode();
    }
    if (node.isNumber()) {
      double value = node.doubleValue();
      return value == Math.rint(value) ? json.numberNode(node.longValue()) : json.numberNode(value);
    }
    if (node.isObject()) {
      ObjectNode copy = json.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        copy.set(field.getKey(), numbersByValue(field.getValue()));
      }
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = json.arrayNode();
      node.forEach(item -> copy.add(numbersByValue(item)));
      return copy;
    }
    return node;
  }
}
