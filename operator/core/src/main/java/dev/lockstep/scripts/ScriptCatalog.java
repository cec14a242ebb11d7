package dev.lockstep.scripts;

import dev.lockstep.api.InspectedScripts;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.lint.RiskAssessment;
import dev.lockstep.lint.RiskAssessor;
import dev.lockstep.lint.ScriptsInspection;
import java.util.Map;
import java.util.Optional;

/**
 * Lists the Flyway scripts a migration refers to. Scripts in a ConfigMap are read from it; scripts
 * in an image are known from the inspection recorded in status ({@code status.inspectedScripts}),
 * which an inspection Job made while the migration was validating.
 */
public interface ScriptCatalog {

  /**
   * The scripts of {@code migration}: empty when they live in an image that has not been inspected
   * yet (or has changed since), an inventory otherwise.
   *
   * @throws MissingScriptsException when the scripts ConfigMap does not exist
   */
  Optional<ScriptInventory> scripts(SchemaMigration migration);

  /**
   * The scripts' text by file name, for risk analysis: empty when they live in an image.
   *
   * @throws MissingScriptsException when the scripts ConfigMap does not exist
   */
  Optional<Map<String, String>> contents(SchemaMigration migration);

  /**
   * The static risk of the scripts for {@code migration}'s steps: from their text, or from the
   * inspection of their image; empty when neither is there.
   *
   * @throws MissingScriptsException when the scripts ConfigMap does not exist
   */
  default Optional<RiskAssessment> risk(SchemaMigration migration) {
    if (inImage(migration)) {
      return inspected(migration).map(found -> ScriptsInspection.assess(migration, found));
    }
    return contents(migration).map(files -> RiskAssessor.assess(migration, files));
  }

  /** Whether {@code migration}'s scripts come from an image. */
  static boolean inImage(SchemaMigration migration) {
    return migration.getSpec() != null && migration.getSpec().getScripts() != null
        && migration.getSpec().getScripts().getImage() != null;
  }

  /** The recorded inspection of {@code migration}'s scripts image, if it is of the image the spec names now. */
  static Optional<InspectedScripts> inspected(SchemaMigration migration) {
    if (!inImage(migration) || migration.getStatus() == null) {
      return Optional.empty();
    }
    InspectedScripts found = migration.getStatus().getInspectedScripts();
    return found != null && found.isOf(migration.getSpec().getScripts().getImage())
        ? Optional.of(found) : Optional.empty();
  }

  /** The scripts' ConfigMap is not there. */
  final class MissingScriptsException extends RuntimeException {
    public MissingScriptsException(String message) {
      super(message);
    }
  }
}
