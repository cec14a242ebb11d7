package dev.lockstep.scripts;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flywaydb.core.api.MigrationVersion;

/**
 * The Flyway scripts of a migration, by version: {@code V<version>__<description>.sql} applies a
 * version, {@code U<version>__<description>.sql} undoes it. Versions compare as Flyway compares
 * them ({@code 1.10} comes after {@code 1.9}).
 */
public final class ScriptInventory {

  private static final Pattern NAME = Pattern.compile("([VU])([0-9]+(?:[._][0-9]+)*)__(.+)\\.sql");

  private final TreeMap<MigrationVersion, String> apply = new TreeMap<>();
  private final TreeMap<MigrationVersion, String> undo = new TreeMap<>();
  private final List<String> problems = new ArrayList<>();

  private ScriptInventory() {}

  /** Sorts file names into apply and undo scripts; names that are not scripts are problems. */
  public static ScriptInventory of(Collection<String> fileNames) {
    ScriptInventory inventory = new ScriptInventory();
    // In name order, so that messages name files the same way every time.
    for (String file : new java.util.TreeSet<>(fileNames)) {
      inventory.add(file);
    }
    return inventory;
  }

  /** As {@link #of(Collection)}, with problems found in the files' contents ({@link ScriptContents}). */
  public static ScriptInventory of(Collection<String> fileNames, List<String> contentProblems) {
    ScriptInventory inventory = of(fileNames);
    inventory.problems.addAll(contentProblems);
    return inventory;
  }

  private void add(String file) {
    Matcher m = NAME.matcher(file);
    if (!m.matches()) {
      if (file.endsWith(".sql")) {
        problems.add(file + " is not a Flyway script name; use V<version>__<description>.sql"
            + " or U<version>__<description>.sql");
      }
      return;
    }
    MigrationVersion version = MigrationVersion.fromVersion(m.group(2).replace('_', '.'));
    TreeMap<MigrationVersion, String> target = m.group(1).equals("V") ? apply : undo;
    String previous = target.put(version, file);
    if (previous != null) {
      problems.add(previous + " and " + file + " both have version " + version + "; give one of them another version");
    }
  }

  /** Whether a {@code V} script applies {@code version}. */
  public boolean hasVersion(String version) {
    return apply.containsKey(MigrationVersion.fromVersion(version));
  }

  /** The versions that have {@code V} scripts, in order. */
  public List<String> versions() {
    return apply.keySet().stream().map(MigrationVersion::getVersion).toList();
  }

  /** The versions in (from, to] that have no {@code U} script: the ones rollback cannot undo. */
  public List<String> versionsWithoutUndo(String from, String to) {
    MigrationVersion low = from == null ? MigrationVersion.EMPTY : MigrationVersion.fromVersion(from);
    MigrationVersion high = MigrationVersion.fromVersion(to);
    return apply.keySet().stream()
        .filter(v -> v.isNewerThan(low) && !v.isNewerThan(high))
        .filter(v -> !undo.containsKey(v))
        .map(MigrationVersion::getVersion)
        .toList();
  }

  /** The newest version at or below {@code version} that has a script, if any. */
  public Optional<String> versionBefore(String version) {
    MigrationVersion below = apply.lowerKey(MigrationVersion.fromVersion(version));
    return Optional.ofNullable(below).map(MigrationVersion::getVersion);
  }

  /** File names that look like scripts but are not named as Flyway expects, or clash. */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  /** Whether {@code version} is a version string Flyway accepts. */
  public static boolean isVersion(String version) {
    return version != null && version.matches("[0-9]+(?:[._][0-9]+)*");
  }

  /** Flyway's order of two versions. */
  public static int compare(String a, String b) {
    return MigrationVersion.fromVersion(a).compareTo(MigrationVersion.fromVersion(b));
  }
}
