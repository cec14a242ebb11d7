package dev.lockstep.flags;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The flags one source holds, as read at one moment.
 *
 * @param source human-readable name of the source, for messages ({@code FeatureFlag orders-flags})
 * @param flags every flag by key, in stored order
 * @param evaluators the shared targeting fragments ({@code $evaluators}) flags may {@code $ref}, or null
 */
public record FlagSet(String source, Map<String, FlagDefinition> flags, ObjectNode evaluators) {

  public FlagSet {
    flags = Collections.unmodifiableMap(new LinkedHashMap<>(flags));
  }

  public Optional<FlagDefinition> flag(String key) {
    return Optional.ofNullable(flags.get(key));
  }

  /** The flag, or a {@link FlagException} naming the source and the flags it does hold. */
  public FlagDefinition require(String key) {
    return flag(key).orElseThrow(() -> new FlagException(
        source + " has no flag " + key + "; it holds " + String.join(", ", flags.keySet())));
  }

  /**
   * A flagd document holding only this flag (and the shared evaluators it may reference): what the
   * verifier evaluates, so other flags of the source cannot make it fail.
   */
  public String evaluationDocument(String key) {
    ObjectNode document = FlagJson.MAPPER.createObjectNode();
    document.putObject("flags").set(key, require(key).tree());
    if (evaluators != null && !evaluators.isEmpty()) {
      document.set("$evaluators", evaluators);
    }
    return FlagJson.write(document);
  }
}
