package dev.lockstep.e2e.badinput;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One case of the bad-input catalog: a directory {@code bad-input/NN-name/} with
 * <ul>
 *   <li>{@code expected.yaml}: what must happen (see {@link Expected});
 *   <li>{@code manifests.yaml}: the resources to apply (cluster cases), placeholders {@code ${JDBC_URL}},
 *       {@code ${USERNAME}}, {@code ${PASSWORD}} and {@code ${DATABASE}} filled with the case's database;
 *   <li>{@code scripts/}: the scripts ConfigMap {@code scripts} (bytes that are not UTF-8 go to
 *       {@code binaryData}, as kubectl puts them), on top of {@code bad-input/baseline/}.
 * </ul>
 *
 * @param name the directory's name, e.g. {@code 03-duplicate-step-names}
 * @param directory the directory
 * @param expected the parsed {@code expected.yaml}
 */
record BadInputCase(String name, Path directory, Expected expected) {

  static final Path ROOT = root();

  /** Every case directory ({@code NN-...}), in order. */
  static List<BadInputCase> all() {
    try (Stream<Path> dirs = Files.list(ROOT)) {
      return dirs.filter(d -> d.getFileName().toString().matches("\\d\\d-[a-z0-9-]+")).sorted()
          .map(BadInputCase::load).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static BadInputCase load(Path directory) {
    try {
      String yaml = Files.readString(directory.resolve("expected.yaml"));
      Expected expected = Serialization.yamlMapper().readValue(yaml, Expected.class);
      return new BadInputCase(directory.getFileName().toString(), directory, expected);
    } catch (IOException e) {
      throw new UncheckedIOException("bad-input/" + directory.getFileName() + "/expected.yaml: " + e.getMessage(), e);
    }
  }

  boolean isOperatorStart() {
    return expected.operator() != null;
  }

  /** The case's manifests with its database's placeholders filled in. */
  String manifests(Map<String, String> placeholders) {
    Path file = directory.resolve("manifests.yaml");
    if (!Files.exists(file)) {
      return "";
    }
    try {
      String text = Files.readString(file);
      for (var entry : placeholders.entrySet()) {
        text = text.replace("${" + entry.getKey() + "}", entry.getValue());
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Baseline scripts, then the case's own (which may replace them), padded as expected.yaml asks. */
  Map<String, byte[]> scripts() {
    Map<String, byte[]> files = new TreeMap<>();
    if (!expected.noBaselineScripts()) {
      readInto(ROOT.resolve("baseline"), files);
    }
    readInto(directory.resolve("scripts"), files);
    if (expected.padScript() != null) {
      files.put(expected.padScript().file(), padded(files.get(expected.padScript().file()), expected.padScript().toBytes()));
    }
    return files;
  }

  /** Whether {@code bytes} are valid UTF-8 (what a ConfigMap's {@code data} may hold). */
  static boolean isUtf8(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static byte[] padded(byte[] start, int size) {
    StringBuilder text = new StringBuilder(start == null ? "" : new String(start, StandardCharsets.UTF_8));
    int row = 0;
    while (text.length() < size) {
      text.append("INSERT INTO orders (total) VALUES (").append(row++ % 1000).append(".00);\n");
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void readInto(Path dir, Map<String, byte[]> files) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> list = Files.list(dir)) {
      for (Path file : list.sorted().toList()) {
        files.put(file.getFileName().toString(), Files.readAllBytes(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path root() {
    try {
      return Path.of(BadInputCase.class.getResource("/bad-input").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
