package dev.lockstep.lint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The lint corpus under {@code src/test/resources/lint/corpus}: a baseline script and the cases that
 * run after it, each script declaring in header comments what the linter must find (see the README
 * there).
 */
final class LintCorpus {

  static final String BASELINE = "V1__baseline.sql";

  /** One case: its name and its scripts (baseline first), file name to content. */
  record Case(String name, Map<String, String> scripts) {
    @Override
    public String toString() {
      return name;
    }

    /** The scripts of the case itself, without the baseline and the .conf files. */
    List<String> caseScripts() {
      return scripts.keySet().stream().filter(n -> n.endsWith(".sql") && !n.equals(BASELINE)).toList();
    }

    /** "rule@line" of every {@code -- expect:} entry of the script. */
    Set<String> expected(String script) {
      Set<String> expected = new TreeSet<>();
      for (String line : scripts.get(script).split("\n")) {
        if (line.startsWith("-- expect:")) {
          for (String entry : line.substring("-- expect:".length()).trim().split("\\s+")) {
            if (!entry.equals("none")) {
              expected.add(entry);
            }
          }
        }
      }
      return expected;
    }

    /** The {@code -- observed:} entries of the script: "rule@line" to "lock=.. rewrite=.. risk=..". */
    Map<String, Map<String, String>> observed(String script) {
      Map<String, Map<String, String>> observed = new LinkedHashMap<>();
      for (String line : scripts.get(script).split("\n")) {
        if (line.startsWith("-- observed:")) {
          String[] parts = line.substring("-- observed:".length()).trim().split("\\s+");
          Map<String, String> facts = new LinkedHashMap<>();
          for (int i = 1; i < parts.length; i++) {
            String[] pair = parts[i].split("=", 2);
            facts.put(pair[0], pair[1]);
          }
          observed.put(parts[0], facts);
        }
      }
      return observed;
    }
  }

  /** The {@code -- note:} entries of a case's scripts: "rule@line" to text its observed note contains. */
  static Map<String, String> notes(String content) {
    Map<String, String> notes = new LinkedHashMap<>();
    for (String line : content.split("\n")) {
      if (line.startsWith("-- note:")) {
        String[] parts = line.substring("-- note:".length()).trim().split("\\s+", 2);
        notes.put(parts[0], parts.length > 1 ? parts[1] : "");
      }
    }
    return notes;
  }

  private LintCorpus() {}

  static Path root() {
    try {
      return Path.of(LintCorpus.class.getResource("/lint/corpus").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<Case> cases() {
    try (Stream<Path> entries = Files.list(root().resolve("cases"))) {
      String baseline = Files.readString(root().resolve(BASELINE));
      List<Case> cases = new ArrayList<>();
      for (Path entry : entries.sorted().toList()) {
        Map<String, String> scripts = new LinkedHashMap<>();
        scripts.put(BASELINE, baseline);
        String fileName = entry.getFileName().toString();
        if (Files.isDirectory(entry)) {
          try (Stream<Path> files = Files.list(entry)) {
            for (Path file : files.sorted().toList()) {
              scripts.put(file.getFileName().toString(), Files.readString(file));
            }
          }
          cases.add(new Case(fileName, scripts));
        } else if (fileName.endsWith(".sql")) {
          scripts.put("V2__" + fileName, Files.readString(entry));
          cases.add(new Case(fileName.substring(0, fileName.length() - ".sql".length()), scripts));
        }
      }
      return cases;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
