package dev.lockstep.flags;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/** Builds RFC 6902 JSON patch operations, which state each change exactly. */
final class JsonPatchOps {

  private JsonPatchOps() {}

  /**
   * Appends the operations that turn the object at {@code path} from {@code from} into {@code to}, member
   * by member: {@code remove} for a member that is gone, {@code add} (which replaces) for one that is new
   * or changed. Members that are equal get no operation.
   */
  static void diff(ArrayNode patch, String path, ObjectNode from, ObjectNode to) {
    for (Iterator<String> names = from.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!to.has(name)) {
        patch.addObject().put("op", "remove").put("path", path + "/" + token(name));
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> fields = to.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (!field.getValue().equals(from.get(field.getKey()))) {
        add(patch, path + "/" + token(field.getKey()), field.getValue());
      }
    }
  }

  static void add(ArrayNode patch, String path, JsonNode value) {
    patch.addObject().put("op", "add").put("path", path).set("value", value);
  }

  /** Escapes a member name for a JSON pointer (RFC 6901). */
  static String token(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }
}
