package dev.lockstep.lint.plan;

import java.util.Locale;
import java.util.Optional;
import org.flywaydb.core.api.MigrationVersion;

/**
 * A Flyway script name: {@code V2__add_currency.sql} (versioned), {@code U2__add_currency.sql} (undo of
 * version 2) or {@code R__views.sql} (repeatable). Versions compare as Flyway compares them: 1.10 is
 * newer than 1.9.
 */
public record ScriptName(String fileName, Kind kind, MigrationVersion version) {

  public enum Kind {
    VERSIONED,
    UNDO,
    REPEATABLE
  }

  private static final String SEPARATOR = "__";
  private static final String SUFFIX = ".sql";

  /** The script name of {@code fileName}, or empty when it does not follow Flyway's naming. */
  public static Optional<ScriptName> parse(String fileName) {
    if (!fileName.toLowerCase(Locale.ROOT).endsWith(SUFFIX) || fileName.length() < 2) {
      return Optional.empty();
    }
    String stem = fileName.substring(0, fileName.length() - SUFFIX.length());
    char prefix = stem.charAt(0);
    int separator = stem.indexOf(SEPARATOR);
    if (prefix == 'R' && separator == 1) {
      return Optional.of(new ScriptName(fileName, Kind.REPEATABLE, null));
    }
    if ((prefix != 'V' && prefix != 'U') || separator <= 1) {
      return Optional.empty();
    }
    try {
      MigrationVersion version = MigrationVersion.fromVersion(stem.substring(1, separator));
      return Optional.of(new ScriptName(fileName, prefix == 'V' ? Kind.VERSIONED : Kind.UNDO, version));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
