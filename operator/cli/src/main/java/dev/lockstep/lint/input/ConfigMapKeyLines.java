package dev.lockstep.lint.input;

import dev.lockstep.lint.input.LintInputs.ConfigMapFile;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the lines of a ConfigMap's data keys in its YAML file, so that a finding in a script kept in a
 * ConfigMap can point at the line of the manifest a reviewer sees (GitHub annotations, SARIF).
 *
 * <p>It reads the text of the document from its first line: the {@code data:} key, then each data key at
 * the indentation of the first one. A key whose value is a literal block ({@code key: |}) has its
 * script start on the next line; any other form maps every script line to the key's line.
 */
final class ConfigMapKeyLines {

  private ConfigMapKeyLines() {}

  /**
   * @param lines the file's lines
   * @param documentLine the 1-based line where the ConfigMap's document starts
   * @param keys the data keys to find
   */
  static ConfigMapFile find(Path file, List<String> lines, int documentLine, Collection<String> keys) {
    Map<String, Integer> firstLines = new HashMap<>();
    Set<String> literal = new HashSet<>();
    int data = -1;
    for (int i = Math.max(0, documentLine - 1); i < lines.size(); i++) {
      String line = lines.get(i);
      if (i > documentLine - 1 && line.startsWith("---")) {
        break;
      }
      if (line.startsWith("data:")) {
        data = i;
        break;
      }
    }
    if (data < 0) {
      return new ConfigMapFile(file, Map.of(), Set.of());
    }
    int keyIndent = -1;
    for (int i = data + 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("---")) {
        break;
      }
      String trimmed = line.stripLeading();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int indent = line.length() - trimmed.length();
      if (indent == 0) {
        break; // the next top-level field: data has ended
      }
      if (keyIndent < 0) {
        keyIndent = indent;
      }
      if (indent != keyIndent) {
        continue; // a line of a value
      }
      for (String key : keys) {
        String rest = afterKey(trimmed, key);
        if (rest != null && !firstLines.containsKey(key)) {
          boolean block = rest.startsWith("|");
          firstLines.put(key, block ? i + 2 : i + 1);
          if (block) {
            literal.add(key);
          }
        }
      }
    }
    return new ConfigMapFile(file, Map.copyOf(firstLines), Set.copyOf(literal));
  }

  /** What follows {@code key:} on the line, or null when the line is not that key's. */
  private static String afterKey(String trimmed, String key) {
    for (String form : List.of(key, "\"" + key + "\"", "'" + key + "'")) {
      if (trimmed.startsWith(form + ":")) {
        return trimmed.substring(form.length() + 1).strip();
      }
    }
    return null;
  }
}
