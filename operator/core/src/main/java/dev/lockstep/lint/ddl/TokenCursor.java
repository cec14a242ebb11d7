package dev.lockstep.lint.ddl;

import dev.lockstep.sql.SqlToken;
import java.util.ArrayList;
import java.util.List;

/** Reads a statement's tokens front to back: key word sequences, names, parenthesised groups. */
final class TokenCursor {

  private final List<SqlToken> tokens;
  private int pos;

  TokenCursor(List<SqlToken> tokens) {
    this.tokens = tokens;
  }

  boolean atEnd() {
    return pos >= tokens.size();
  }

  SqlToken peek() {
    return atEnd() ? null : tokens.get(pos);
  }

  /** Whether the next tokens are the key words {@code words}, in order. */
  boolean peekWords(String... words) {
    return wordsAt(pos, words);
  }

  /** Consumes the key words {@code words} if they come next. */
  boolean accept(String... words) {
    if (!peekWords(words)) {
      return false;
    }
    pos += words.length;
    return true;
  }

  boolean acceptSymbol(String symbol) {
    if (!atEnd() && tokens.get(pos).isSymbol(symbol)) {
      pos++;
      return true;
    }
    return false;
  }

  SqlToken next() {
    return atEnd() ? null : tokens.get(pos++);
  }

  /**
   * A possibly qualified name ({@code orders}, {@code public.orders}, {@code "Orders"}) as PostgreSQL
   * resolves it: unquoted parts folded to lower case. The {@code public.} schema is dropped, so that
   * {@code public.orders} and {@code orders} are one table. {@code null} when no name comes next.
   */
  String name() {
    if (atEnd() || !tokens.get(pos).isIdentifier()) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    parts.add(tokens.get(pos++).value());
    while (pos + 1 < tokens.size() && tokens.get(pos).isSymbol(".") && tokens.get(pos + 1).isIdentifier()) {
      parts.add(tokens.get(pos + 1).value());
      pos += 2;
    }
    if (parts.size() > 1 && parts.get(0).equals("public")) {
      parts.remove(0);
    }
    return String.join(".", parts);
  }

  /** A comma-separated list of names, such as the tables of DROP TABLE. */
  List<String> names() {
    List<String> names = new ArrayList<>();
    String name = name();
    while (name != null) {
      names.add(name);
      acceptSymbol("*");
      name = acceptSymbol(",") ? name() : null;
    }
    return names;
  }

  /** The tokens of the parenthesised group that starts here, without the outer parentheses. */
  List<SqlToken> parenthesized() {
    if (!acceptSymbol("(")) {
      return List.of();
    }
    int start = pos;
    int depth = 1;
    while (!atEnd()) {
      SqlToken token = tokens.get(pos++);
      if (token.isSymbol("(")) {
        depth++;
      } else if (token.isSymbol(")") && --depth == 0) {
        return tokens.subList(start, pos - 1);
      }
    }
    return tokens.subList(start, pos);
  }

  /** The rest of the tokens. */
  List<SqlToken> rest() {
    List<SqlToken> rest = tokens.subList(Math.min(pos, tokens.size()), tokens.size());
    pos = tokens.size();
    return rest;
  }

  /** Whether the key words {@code words} occur in sequence somewhere in the rest, outside parentheses. */
  boolean restContainsWords(String... words) {
    int depth = 0;
    for (int i = pos; i < tokens.size(); i++) {
      SqlToken token = tokens.get(i);
      if (token.isSymbol("(")) {
        depth++;
      } else if (token.isSymbol(")")) {
        depth--;
      } else if (depth == 0 && wordsAt(i, words)) {
        return true;
      }
    }
    return false;
  }

  private boolean wordsAt(int index, String... words) {
    if (index + words.length > tokens.size()) {
      return false;
    }
    for (int i = 0; i < words.length; i++) {
      if (!tokens.get(index + i).isWord(words[i])) {
        return false;
      }
    }
    return true;
  }

  /** Splits {@code tokens} at the commas outside parentheses and brackets. */
  static List<List<SqlToken>> splitTopLevel(List<SqlToken> tokens) {
    List<List<SqlToken>> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < tokens.size(); i++) {
      SqlToken token = tokens.get(i);
      if (token.isSymbol("(") || token.isSymbol("[")) {
        depth++;
      } else if (token.isSymbol(")") || token.isSymbol("]")) {
        depth--;
      } else if (depth == 0 && token.isSymbol(",")) {
        parts.add(tokens.subList(start, i));
        start = i + 1;
      }
    }
    if (start < tokens.size()) {
      parts.add(tokens.subList(start, tokens.size()));
    }
    return parts;
  }
}
