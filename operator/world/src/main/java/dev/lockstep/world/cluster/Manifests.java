package dev.lockstep.world.cluster;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.lockstep.api.SchemaMigration;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Kubernetes manifests of a directory, as a team would {@code kubectl apply -f} them: every
 * {@code .yaml}, {@code .yml} and {@code .json} file, multi-document YAML included, namespace
 * {@code default} where none is given.
 */
public final class Manifests {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  /** Unknown fields in a SchemaMigration are typos: say so instead of dropping them. */
  private static final ObjectMapper STRICT =
      Serialization.jsonMapper().copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final String DEFAULT_NAMESPACE = "default";

  private final List<HasMetadata> resources;

  private Manifests(List<HasMetadata> resources) {
    this.resources = resources;
  }

  /**
   * Reads {@code path}, a file or a directory (not recursive, files in name order).
   *
   * @throws BadManifestException naming the file and document when one is not a Kubernetes object
   */
  public static Manifests load(Path path) {
    List<Path> files = files(path);
    List<HasMetadata> resources = new ArrayList<>();
    for (Path file : files) {
      int document = 0;
      try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
        while (docs.hasNext()) {
          JsonNode node = docs.next();
          document++;
          if (node == null || node.isNull() || node.isEmpty()) {
            continue;
          }
          resources.add(toResource(file, document, node));
        }
      } catch (IOException | RuntimeException e) {
        if (e instanceof BadManifestException bad) {
          throw bad;
        }
        throw new BadManifestException(file + ": not valid YAML or JSON: " + firstLine(e.getMessage()));
      }
    }
    if (resources.stream().noneMatch(r -> r instanceof SchemaMigration)) {
      throw new BadManifestException(path + " holds no SchemaMigration (apiVersion lockstep.dev/v1alpha1);"
          + " nothing to rehearse");
    }
    return new Manifests(resources);
  }

  public List<HasMetadata> resources() {
    return resources;
  }

  public List<SchemaMigration> migrations() {
    return resources.stream().filter(r -> r instanceof SchemaMigration).map(r -> (SchemaMigration) r).toList();
  }

  private static HasMetadata toResource(Path file, int document, JsonNode node) {
    String where = file + " (document " + document + ")";
    if (!node.isObject() || !node.hasNonNull("apiVersion") || !node.hasNonNull("kind")) {
      throw new BadManifestException(where + ": not a Kubernetes object; it needs apiVersion and kind");
    }
    JsonNode name = node.path("metadata").path("name");
    if (!name.isTextual() || name.asText().isBlank()) {
      throw new BadManifestException(where + ": " + node.get("kind").asText() + " has no metadata.name");
    }
    ObjectNode metadata = (ObjectNode) node.get("metadata");
    if (!metadata.hasNonNull("namespace")) {
      metadata.put("namespace", DEFAULT_NAMESPACE);
    }
    try {
      if ("SchemaMigration".equals(node.get("kind").asText())) {
        return STRICT.convertValue(node, SchemaMigration.class);
      }
      return Serialization.jsonMapper().convertValue(node, HasMetadata.class);
    } catch (IllegalArgumentException e) {
      throw new BadManifestException(where + ": " + firstLine(e.getMessage()));
    }
  }

  private static List<Path> files(Path path) {
    if (!Files.exists(path)) {
      throw new BadManifestException(path + " does not exist; give a directory of manifests or a manifest file");
    }
    if (Files.isRegularFile(path)) {
      return List.of(path);
    }
    try (Stream<Path> list = Files.list(path)) {
      List<Path> files = list
          .filter(Files::isRegularFile)
          .filter(p -> p.toString().matches(".*\\.(ya?ml|json)$"))
          .sorted()
          .toList();
      if (files.isEmpty()) {
        throw new BadManifestException(path + " holds no .yaml, .yml or .json file");
      }
      return files;
    } catch (IOException e) {
      throw new BadManifestException(path + ": cannot list the directory: " + e.getMessage());
    }
  }

  private static String firstLine(String message) {
    return message == null ? "unknown error" : message.lines().findFirst().orElse(message);
  }

  /** A manifest that cannot be rehearsed; the message names the file and what is wrong. */
  public static final class BadManifestException extends RuntimeException {
    public BadManifestException(String message) {
      super(message);
    }
  }
}
