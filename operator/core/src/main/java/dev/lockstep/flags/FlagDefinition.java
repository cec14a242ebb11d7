package dev.lockstep.flags;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One flagd flag definition ({@code state}, {@code variants}, {@code defaultVariant}, {@code targeting}),
 * both as the exact text its source stores — what rollback writes back — and as a tree to reason about.
 *
 * @param key the flag key
 * @param json the definition exactly as stored: for a ConfigMap the characters of the document, for a
 *     FeatureFlag the JSON the API server returns
 * @param tree the parsed definition; callers must not modify it
 */
public record FlagDefinition(String key, String json, ObjectNode tree) {

  public static FlagDefinition parse(String key, String json) {
    return new FlagDefinition(key, json, FlagJson.parseObject(json, "flag " + key));
  }

  public static FlagDefinition of(String key, ObjectNode tree) {
    return new FlagDefinition(key, FlagJson.write(tree), tree);
  }

  /** The variant served when no targeting rule decides, or {@code null} when it has none. */
  public String defaultVariant() {
    JsonNode node = tree.get("defaultVariant");
    return node != null && node.isTextual() ? node.asText() : null;
  }

  /** Names of the variants the flag defines, in their stored order. */
  public List<String> variantNames() {
    List<String> names = new ArrayList<>();
    JsonNode variants = tree.get("variants");
    if (variants != null && variants.isObject()) {
      variants.fieldNames().forEachRemaining(names::add);
    }
    return names;
  }

  public boolean definesVariant(String variant) {
    JsonNode variants = tree.get("variants");
    return variants != null && variants.has(variant);
  }

  /** {@code state: DISABLED}: applications then get their hard-coded defaults, whatever the variant. */
  public boolean isDisabled() {
    JsonNode state = tree.get("state");
    return state != null && "DISABLED".equals(state.asText());
  }

  /** The targeting rule, when there is one; flagd treats a missing or empty {@code {}} rule as none. */
  public Optional<JsonNode> targeting() {
    JsonNode targeting = tree.get("targeting");
    if (targeting == null || targeting.isNull() || (targeting.isObject() && targeting.isEmpty())) {
      return Optional.empty();
    }
    return Optional.of(targeting);
  }

  /** Same definition, ignoring formatting: what decides whether a write is needed. */
  public boolean sameAs(ObjectNode other) {
    return tree.equals(other);
  }
}
