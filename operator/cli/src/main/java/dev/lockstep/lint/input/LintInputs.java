package dev.lockstep.lint.input;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.lint.LintException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What {@code lockstep lint} reads from the files and directories it is given: SchemaMigration
 * manifests and ConfigMaps from YAML files (several documents per file are fine), and {@code .sql}
 * scripts. Directories are read recursively, as Flyway reads its locations.
 *
 * @param manifests the SchemaMigrations, each with the file it came from
 * @param configMaps ConfigMap name to its data (file name to SQL)
 * @param sqlFiles script file name to the script; {@code V2__x.sql.conf} files, Flyway's per-script
 *     configuration, are among them
 * @param configMapFiles ConfigMap name to the file it came from and where each key's text starts
 */
public record LintInputs(List<Manifest> manifests, Map<String, Map<String, String>> configMaps,
    Map<String, SqlFile> sqlFiles, Map<String, ConfigMapFile> configMapFiles) {

  public record Manifest(Path file, SchemaMigration migration) {}

  public record SqlFile(Path path, String sql) {}

  /**
   * Where a ConfigMap's scripts are in the YAML file, so that reports point into the file a reviewer
   * sees.
   *
   * @param firstLines data key to the file line of the script's first line ({@code key: |} blocks), or
   *     to the key's own line when the value is not a literal block (then every line maps there)
   * @param literal the keys whose value is a literal block, where script line N is file line first + N - 1
   */
  public record ConfigMapFile(Path file, Map<String, Integer> firstLines, java.util.Set<String> literal) {

    /** The file line of line {@code line} of the script under {@code key}; the first line when unknown. */
    public int fileLine(String key, int line) {
      Integer first = firstLines.get(key);
      if (first == null) {
        return 1;
      }
      return literal.contains(key) ? first + line - 1 : first;
    }
  }

  private static final ObjectMapper YAML = YAMLMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // as the API server prunes them
      .build();

  public static LintInputs read(List<Path> paths) throws LintException {
    List<Manifest> manifests = new ArrayList<>();
    Map<String, Map<String, String>> configMaps = new LinkedHashMap<>();
    Map<String, SqlFile> sqlFiles = new LinkedHashMap<>();
    Map<String, ConfigMapFile> configMapFiles = new LinkedHashMap<>();
    for (Path path : paths) {
      if (!Files.exists(path)) {
        throw new LintException(path + ": no such file or directory");
      }
      for (Path file : files(path)) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".sql") || name.endsWith(".sql.conf")) {
          SqlFile previous = sqlFiles.put(file.getFileName().toString(), new SqlFile(file, read(file)));
          if (previous != null && !previous.path().equals(file)) {
            throw new LintException(file + ": a script of the same name is also at " + previous.path()
                + "; Flyway would refuse two scripts of one name: keep one");
          }
        } else if (name.endsWith(".yaml") || name.endsWith(".yml")) {
          readYaml(file, manifests, configMaps, configMapFiles);
        }
      }
    }
    return new LintInputs(List.copyOf(manifests), configMaps, sqlFiles, configMapFiles);
  }

  private static List<Path> files(Path path) throws LintException {
    if (!Files.isDirectory(path)) {
      return List.of(path);
    }
    try (Stream<Path> walk = Files.walk(path)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new LintException(path + ": cannot read the directory: " + e.getMessage(), e);
    }
  }

  private static String read(Path file) throws LintException {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new LintException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  private static void readYaml(Path file, List<Manifest> manifests, Map<String, Map<String, String>> configMaps,
      Map<String, ConfigMapFile> configMapFiles) throws LintException {
    List<String> lines = List.of(read(file).split("\n", -1));
    try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
      while (documents.hasNextValue()) {
        int documentLine = documents.getParser().currentTokenLocation().getLineNr();
        JsonNode document = documents.nextValue();
        if (document == null || !document.isObject()) {
          continue;
        }
        String kind = document.path("kind").asText("");
        if (kind.equals("SchemaMigration")) {
          manifests.add(new Manifest(file, YAML.treeToValue(document, SchemaMigration.class)));
        } else if (kind.equals("ConfigMap")) {
          String name = document.path("metadata").path("name").asText("");
          Map<String, String> data = data(document.path("data"));
          configMaps.put(name, data);
          configMapFiles.put(name, ConfigMapKeyLines.find(file, lines, documentLine, data.keySet()));
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new LintException(file + ": not a valid Kubernetes manifest: " + firstLine(e.getMessage())
          + " (fix the YAML, or leave the file out)", e);
    }
  }

  private static Map<String, String> data(JsonNode data) {
    Map<String, String> entries = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> fields = data.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      entries.put(field.getKey(), field.getValue().asText());
    }
    return entries;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end);
  }
}
