package dev.lockstep.scripts;

import dev.lockstep.api.SchemaMigration;
import java.util.Map;
import java.util.Optional;

/** Lists the Flyway scripts a migration refers to. */
public interface ScriptCatalog {

  /**
   * The scripts of {@code migration}: empty when they live in an image the operator cannot read
   * (the runner checks them when it runs), an inventory otherwise.
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

  /** The scripts' ConfigMap is not there. */
  final class MissingScriptsException extends RuntimeException {
    public MissingScriptsException(String message) {
      super(message);
    }
  }
}
