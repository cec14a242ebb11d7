package dev.lockstep.runner.scripts;

import java.nio.file.Path;
import org.flywaydb.core.api.MigrationVersion;

/**
 * One script of the scripts directory: a migration {@code V<version>__<description>.sql} or the undo
 * script {@code U<version>__<description>.sql} of that version.
 */
public record ScriptFile(Kind kind, MigrationVersion version, String fileName, Path path) {

  /** What a script does, by its file name prefix. */
  public enum Kind {
    MIGRATION('V'),
    UNDO('U');

    private final char prefix;

    Kind(char prefix) {
      this.prefix = prefix;
    }

    public char prefix() {
      return prefix;
    }

    /** The file name pattern of this kind for {@code version}, for messages: {@code U3__*.sql}. */
    public String pattern(MigrationVersion version) {
      return prefix + version.getVersion() + ScriptDirectory.SEPARATOR + "*" + ScriptDirectory.SUFFIX;
    }
  }
}
