package dev.lockstep.runner.scripts;

import dev.lockstep.runner.ContainerEnvironment;
import dev.lockstep.runner.RunnerFailure;
import dev.lockstep.runner.scripts.ScriptFile.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.flywaydb.core.api.MigrationVersion;

/**
 * The flat directory of Flyway scripts a Job gets, from a ConfigMap volume or an init container.
 *
 * <p>A ConfigMap volume shows each key as a symbolic link into a hidden, timestamped directory
 * ({@code V1__x.sql -> ..data/V1__x.sql}, {@code ..data -> ..2024_01_01_00_00_00.1}); hidden entries
 * are skipped and links are followed, so each script is seen once under its own name. Flyway's own
 * file system scanner skips hidden directories too.
 */
public final class ScriptDirectory {

  static final String SEPARATOR = "__";
  static final String SUFFIX = ".sql";

  private final String containerPath;
  private final Path hostPath;
  private final List<ScriptFile> scripts;

  private ScriptDirectory(String containerPath, Path hostPath, List<ScriptFile> scripts) {
    this.containerPath = containerPath;
    this.hostPath = hostPath;
    this.scripts = scripts;
  }

  /**
   * Reads the directory the container sees at {@code containerPath}.
   *
   * @throws RunnerFailure (bad input) when it does not exist, or two undo scripts share a version
   */
  public static ScriptDirectory open(ContainerEnvironment environment, String containerPath) {
    Path hostPath = environment.file(containerPath);
    if (!Files.isDirectory(hostPath)) {
      throw RunnerFailure.badInput(
          "scripts directory " + containerPath + " does not exist; mount the scripts there or pass --scripts");
    }
    List<ScriptFile> scripts = new ArrayList<>();
    try (Stream<Path> entries = Files.list(hostPath)) {
      for (Path entry : (Iterable<Path>) entries::iterator) {
        parse(entry).ifPresent(scripts::add);
      }
    } catch (IOException e) {
      throw RunnerFailure.badInput("cannot read scripts directory " + containerPath + ": " + e.getMessage());
    }
    scripts.sort(Comparator.comparing(ScriptFile::version).thenComparing(ScriptFile::fileName));
    ScriptDirectory directory = new ScriptDirectory(containerPath, hostPath, List.copyOf(scripts));
    directory.requireOneScriptPerVersion(Kind.UNDO);
    return directory;
  }

  /**
   * The script {@code entry} names, if it is one: {@code V} or {@code U}, a Flyway version, two
   * underscores, a description, {@code .sql}. Anything else is left alone, as Flyway leaves it.
   */
  private static Optional<ScriptFile> parse(Path entry) {
    String name = entry.getFileName().toString();
    if (name.startsWith(".") || !name.endsWith(SUFFIX) || !Files.isRegularFile(entry)) {
      return Optional.empty();
    }
    Kind kind = name.charAt(0) == 'V' ? Kind.MIGRATION : name.charAt(0) == 'U' ? Kind.UNDO : null;
    int separator = name.indexOf(SEPARATOR);
    if (kind == null || separator < 2) {
      return Optional.empty();
    }
    try {
      MigrationVersion version = MigrationVersion.fromVersion(name.substring(1, separator));
      return Optional.of(new ScriptFile(kind, version, name, entry));
    } catch (RuntimeException notAVersion) {
      return Optional.empty();
    }
  }

  private void requireOneScriptPerVersion(Kind kind) {
    List<ScriptFile> ofKind = scripts(kind);
    for (int i = 1; i < ofKind.size(); i++) {
      if (ofKind.get(i).version().equals(ofKind.get(i - 1).version())) {
        throw RunnerFailure.badInput(
            "two scripts for version " + ofKind.get(i).version() + " in " + containerPath + ": "
                + ofKind.get(i - 1).fileName() + " and " + ofKind.get(i).fileName() + "; keep one");
      }
    }
  }

  /** The scripts of one kind, by version. */
  public List<ScriptFile> scripts(Kind kind) {
    return scripts.stream().filter(s -> s.kind() == kind).toList();
  }

  /** The script of {@code kind} for {@code version}, if there is one. */
  public Optional<ScriptFile> script(Kind kind, MigrationVersion version) {
    return scripts.stream().filter(s -> s.kind() == kind && s.version().equals(version)).findFirst();
  }

  /** The directory as the container sees it, for messages. */
  public String containerPath() {
    return containerPath;
  }

  /** The directory on this machine, for Flyway's {@code filesystem:} location. */
  public Path hostPath() {
    return hostPath;
  }
}
