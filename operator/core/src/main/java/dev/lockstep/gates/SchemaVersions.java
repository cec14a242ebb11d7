package dev.lockstep.gates;

import java.util.regex.Pattern;
import org.flywaydb.core.api.MigrationVersion;

/** Reads schema versions written as Flyway writes them, so that they compare as Flyway compares them. */
public final class SchemaVersions {

  /**
   * Digits separated by dots (or underscores, as in file names such as {@code V1_2__x.sql}).
   * Flyway itself also accepts words such as {@code latest}, which name no version a pod can support.
   */
  private static final Pattern VERSION = Pattern.compile("[0-9]+([._][0-9]+)*");

  private SchemaVersions() {}

  /** {@code "1.10"} → Flyway's 1.10, which is above 1.9; anything else → why it is not a version. */
  public static Reading<MigrationVersion> parse(String text) {
    if (text == null || text.isBlank()) {
      return Reading.failed("the version is empty; write one such as 2 or 1.10");
    }
    String trimmed = text.trim();
    if (!VERSION.matcher(trimmed).matches()) {
      return Reading.failed(
          "\"" + text + "\" is not a Flyway version; write digits separated by dots, such as 2 or 1.10");
    }
    try {
      return Reading.of(MigrationVersion.fromVersion(trimmed));
    } catch (RuntimeException e) {
      return Reading.failed("\"" + text + "\" is not a Flyway version: " + e.getMessage());
    }
  }
}
