package dev.lockstep.flags;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.flags.JsonText.Member;
import dev.lockstep.flags.JsonText.ObjectSpan;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A flagd JSON document ({@code {"$schema": ..., "flags": {...}, "$evaluators": {...}}}) held as text.
 * Changes edit only the characters of the members that change, so the rest of the document — other
 * flags, {@code $schema}, {@code $evaluators}, formatting — stays exactly as its authors wrote it.
 */
final class FlagdDocument {

  private static final List<String> FLAGS = List.of("flags");

  private FlagdDocument() {}

  /** The flags of the document; each definition keeps its exact text. */
  static FlagSet read(String text, String source) {
    ObjectNode tree = FlagJson.parseObject(text, source);
    ObjectSpan flags = flagsObject(text, tree, source);
    Map<String, FlagDefinition> definitions = new LinkedHashMap<>();
    for (Member member : flags.members()) {
      String json = text.substring(member.valueStart(), member.valueEnd());
      if (!tree.get("flags").get(member.name()).isObject()) {
        throw new FlagException(source + ": flag " + member.name() + " must be a JSON object");
      }
      definitions.put(member.name(), FlagDefinition.parse(member.name(), json));
    }
    JsonNode evaluators = tree.get("$evaluators");
    return new FlagSet(source, definitions, evaluators instanceof ObjectNode object ? object : null);
  }

  /**
   * The document with flag {@code key} changed to {@code desired}: members that differ get new values,
   * members that are gone are removed, new members are appended; untouched members keep their text.
   */
  static String withFlag(String text, String key, ObjectNode desired, String source) {
    ObjectNode current = read(text, source).require(key).tree();
    String edited = text;
    for (Iterator<String> names = current.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!desired.has(name)) {
        ObjectSpan flag = flagObject(edited, key);
        edited = JsonText.removeMember(edited, flag, flag.members().indexOf(flag.member(name).orElseThrow()));
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> fields = desired.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      String value = FlagJson.write(field.getValue());
      JsonNode old = current.get(field.getKey());
      ObjectSpan flag = flagObject(edited, key);
      if (old == null) {
        edited = JsonText.appendMember(edited, flag, field.getKey(), value);
      } else if (!old.equals(field.getValue())) {
        Member member = flag.member(field.getKey()).orElseThrow();
        edited = JsonText.replace(edited, member.valueStart(), member.valueEnd(), value);
      }
    }
    return edited;
  }

  /** The document with flag {@code key} set to exactly {@code definitionJson}, added if it is missing. */
  static String withFlagText(String text, String key, String definitionJson, String source) {
    ObjectSpan flags = flagsObject(text, FlagJson.parseObject(text, source), source);
    return flags.member(key)
        .map(m -> JsonText.replace(text, m.valueStart(), m.valueEnd(), definitionJson))
        .orElseGet(() -> JsonText.appendMember(text, flags, key, definitionJson));
  }

  private static ObjectSpan flagsObject(String text, ObjectNode tree, String source) {
    if (!(tree.get("flags") instanceof ObjectNode)) {
      throw new FlagException(source + " is not a flagd document: it has no \"flags\" object");
    }
    return JsonText.objectAt(text, FLAGS).orElseThrow();
  }

  private static ObjectSpan flagObject(String text, String key) {
    List<String> path = new ArrayList<>(FLAGS);
    path.add(key);
    return JsonText.objectAt(text, path).orElseThrow();
  }
}
