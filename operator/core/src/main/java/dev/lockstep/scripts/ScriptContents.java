package dev.lockstep.scripts;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a scripts ConfigMap's contents must be before any of it runs: text (a script in
 * {@code binaryData} is not UTF-8, and Flyway would read it garbled), not empty (Flyway would record
 * an empty version as applied), and small enough for a ConfigMap in a real cluster.
 */
public final class ScriptContents {

  /** What etcd and the API server accept in one ConfigMap. */
  public static final int MAX_CONFIG_MAP_BYTES = 1024 * 1024;

  private ScriptContents() {}

  /**
   * @param data the ConfigMap's {@code data}
   * @param binaryData the ConfigMap's {@code binaryData} (base64)
   * @return one sentence per problem, naming the file and saying what to do
   */
  public static List<String> problems(Map<String, String> data, Map<String, String> binaryData) {
    List<String> problems = new ArrayList<>();
    long bytes = 0;
    for (String file : new TreeSet<>(binaryData.keySet())) {
      bytes += decodedLength(binaryData.get(file));
      if (file.endsWith(".sql")) {
        problems.add(file + " is not UTF-8 text (it is in binaryData); save it as UTF-8 and create the ConfigMap again");
      }
    }
    for (String file : new TreeSet<>(data.keySet())) {
      String text = data.get(file) == null ? "" : data.get(file);
      bytes += text.getBytes(StandardCharsets.UTF_8).length;
      if (file.endsWith(".sql") && text.isBlank()) {
        problems.add(file + " is empty; write the script's SQL, or remove the file");
      }
    }
    if (bytes > MAX_CONFIG_MAP_BYTES) {
      problems.add("the scripts take " + bytes + " bytes, more than the 1 MiB a ConfigMap can hold in a cluster;"
          + " ship them in an image instead (spec.scripts.image)");
    }
    return problems;
  }

  private static long decodedLength(String base64) {
    try {
      return base64 == null ? 0 : Base64.getDecoder().decode(base64).length;
    } catch (IllegalArgumentException e) {
      return base64.length();
    }
  }
}
