package dev.lockstep.flags;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Edits JSON text in place, by character offsets, so that everything not edited keeps its exact
 * characters — indentation, key order, number spelling. A ConfigMap edited this way shows a one-line
 * diff, and putting a saved fragment back restores the document byte for byte.
 */
final class JsonText {

  /** One member of an object: where its name starts and where its value starts and ends (exclusive). */
  record Member(String name, int nameStart, int valueStart, int valueEnd) {}

  /** An object: the offsets of its braces and its members, in order. */
  record ObjectSpan(int open, int close, List<Member> members) {

    Optional<Member> member(String name) {
      return members.stream().filter(m -> m.name().equals(name)).findFirst();
    }
  }

  private JsonText() {}

  /**
   * The object reached from the document's root object through the member names in {@code path}, or
   * empty when a member is missing or not an object. The text must be valid JSON.
   */
  static Optional<ObjectSpan> objectAt(String text, List<String> path) {
    try (JsonParser parser = FlagJson.MAPPER.getFactory().createParser(text)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return Optional.empty();
      }
      for (String name : path) {
        if (!enterMember(parser, name)) {
          return Optional.empty();
        }
      }
      return Optional.of(readObject(parser));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String replace(String text, int start, int end, String replacement) {
    return text.substring(0, start) + replacement + text.substring(end);
  }

  /** Removes a member together with the comma that separates it from its neighbour. */
  static String removeMember(String text, ObjectSpan object, int index) {
    List<Member> members = object.members();
    Member member = members.get(index);
    if (index > 0) {
      return replace(text, members.get(index - 1).valueEnd(), member.valueEnd(), "");
    }
    if (members.size() > 1) {
      return replace(text, member.nameStart(), members.get(1).nameStart(), "");
    }
    return replace(text, object.open() + 1, object.close(), "");
  }

  /** Appends a member, laid out like the members already there (same line breaks and indentation). */
  static String appendMember(String text, ObjectSpan object, String name, String valueJson) {
    List<Member> members = object.members();
    String quotedName = FlagJson.write(FlagJson.MAPPER.getNodeFactory().textNode(name));
    if (members.isEmpty()) {
      return replace(text, object.open() + 1, object.open() + 1, quotedName + ": " + valueJson);
    }
    Member last = members.get(members.size() - 1);
    String separator;
    if (members.size() > 1) {
      separator = text.substring(members.get(members.size() - 2).valueEnd(), last.nameStart());
    } else {
      String leading = text.substring(object.open() + 1, last.nameStart());
      separator = "," + (leading.isEmpty() ? " " : leading);
    }
    String colon = text.substring(endOfString(text, last.nameStart()), last.valueStart());
    return replace(text, last.valueEnd(), last.valueEnd(), separator + quotedName + colon + valueJson);
  }

  private static boolean enterMember(JsonParser parser, String name) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      boolean found = parser.currentName().equals(name);
      JsonToken value = parser.nextToken();
      if (found) {
        return value == JsonToken.START_OBJECT;
      }
      parser.skipChildren();
    }
    return false;
  }

  /** Reads the object whose START_OBJECT is the current token, leaving the parser on its END_OBJECT. */
  private static ObjectSpan readObject(JsonParser parser) throws IOException {
    int open = offset(parser);
    List<Member> members = new ArrayList<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      int nameStart = offset(parser);
      JsonToken value = parser.nextToken();
      int valueStart = offset(parser);
      int valueEnd;
      if (value.isStructStart()) {
        parser.skipChildren();
        valueEnd = offset(parser) + 1;
      } else {
        // Jackson reads strings lazily: finish the token so the location is past its closing quote.
        parser.finishToken();
        valueEnd = (int) parser.currentLocation().getCharOffset();
      }
      members.add(new Member(name, nameStart, valueStart, valueEnd));
    }
    return new ObjectSpan(open, offset(parser), members);
  }

  private static int offset(JsonParser parser) {
    return (int) parser.currentTokenLocation().getCharOffset();
  }

  /** The offset just past the JSON string that starts (with its opening quote) at {@code start}. */
  private static int endOfString(String text, int start) {
    for (int i = start + 1; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        return i + 1;
      }
    }
    throw new IllegalArgumentException("unterminated string at offset " + start);
  }
}
