package dev.lockstep.runner.backfill;

import dev.lockstep.runner.backfill.SqlToken.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits PostgreSQL text into tokens, following the lexical rules of the PostgreSQL manual (4.1):
 * string constants with {@code ''} escapes, {@code E''} strings with backslash escapes, dollar-quoted
 * strings, {@code "quoted"} identifiers, {@code --} comments and nested block comments.
 *
 * <p>It exists to find the characters that matter outside literals and comments — a {@code ;}, an
 * unbalanced parenthesis — which no regular expression over the raw text can do reliably.
 */
final class SqlLexer {

  /** The text cannot be split: an unterminated literal, identifier or comment. */
  static final class LexicalError extends Exception {
    LexicalError(String message) {
      super(message);
    }
  }

  private final String text;
  private int pos;

  private SqlLexer(String text) {
    this.text = text;
  }

  static List<SqlToken> tokens(String text) throws LexicalError {
    return new SqlLexer(text).all();
  }

  private List<SqlToken> all() throws LexicalError {
    List<SqlToken> tokens = new ArrayList<>();
    while (true) {
      skipWhitespaceAndComments();
      if (pos >= text.length()) {
        return tokens;
      }
      tokens.add(next());
    }
  }

  private void skipWhitespaceAndComments() throws LexicalError {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (Character.isWhitespace(c)) {
        pos++;
      } else if (startsWith("--")) {
        int end = text.indexOf('\n', pos);
        pos = end < 0 ? text.length() : end + 1;
      } else if (startsWith("/*")) {
        skipBlockComment();
      } else {
        return;
      }
    }
  }

  /** Block comments nest in PostgreSQL, unlike in the SQL standard. */
  private void skipBlockComment() throws LexicalError {
    int start = pos;
    int depth = 0;
    while (pos < text.length()) {
      if (startsWith("/*")) {
        depth++;
        pos += 2;
      } else if (startsWith("*/")) {
        depth--;
        pos += 2;
        if (depth == 0) {
          return;
        }
      } else {
        pos++;
      }
    }
    throw new LexicalError("unterminated /* comment starting at character " + (start + 1));
  }

  private SqlToken next() throws LexicalError {
    int start = pos;
    char c = text.charAt(pos);
    if ((c == 'E' || c == 'e') && charAt(pos + 1) == '\'') {
      pos++;
      return quoted(start, '\'', true, Kind.STRING);
    }
    if ((c == 'U' || c == 'u') && charAt(pos + 1) == '&' && (charAt(pos + 2) == '\'' || charAt(pos + 2) == '"')) {
      pos += 2;
      char quote = text.charAt(pos);
      return quoted(start, quote, false, quote == '\'' ? Kind.STRING : Kind.QUOTED_IDENTIFIER);
    }
    if (c == '\'') {
      return quoted(start, '\'', false, Kind.STRING);
    }
    if (c == '"') {
      return quoted(start, '"', false, Kind.QUOTED_IDENTIFIER);
    }
    if (c == '$') {
      return dollar(start);
    }
    if (isIdentifierStart(c)) {
      pos++;
      while (pos < text.length() && isIdentifierPart(text.charAt(pos))) {
        pos++;
      }
      return new SqlToken(Kind.WORD, text.substring(start, pos), start);
    }
    if (Character.isDigit(c) || (c == '.' && Character.isDigit(charAt(pos + 1)))) {
      pos++;
      while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '.' || text.charAt(pos) == '_')) {
        pos++;
      }
      return new SqlToken(Kind.NUMBER, text.substring(start, pos), start);
    }
    pos++;
    return new SqlToken(Kind.SYMBOL, String.valueOf(c), start);
  }

  /**
   * A literal or identifier between {@code quote}s, where a doubled quote stands for itself and,
   * in an {@code E''} string, a backslash escapes the next character.
   */
  private SqlToken quoted(int start, char quote, boolean backslashEscapes, Kind kind) throws LexicalError {
    pos++; // the opening quote
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (backslashEscapes && c == '\\') {
        pos += 2;
      } else if (c == quote && charAt(pos + 1) == quote) {
        pos += 2;
      } else if (c == quote) {
        pos++;
        return new SqlToken(kind, text.substring(start, pos), start);
      } else {
        pos++;
      }
    }
    throw new LexicalError(
        "unterminated " + (kind == Kind.STRING ? "string literal" : "quoted identifier")
            + " starting at character " + (start + 1));
  }

  /** {@code $1}, or a dollar-quoted string {@code $tag$ ... $tag$}, or a lone {@code $}. */
  private SqlToken dollar(int start) throws LexicalError {
    if (Character.isDigit(charAt(pos + 1))) {
      pos++;
      while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
        pos++;
      }
      return new SqlToken(Kind.PARAMETER, text.substring(start, pos), start);
    }
    int tagEnd = pos + 1;
    if (tagEnd < text.length() && isIdentifierStart(text.charAt(tagEnd))) {
      while (tagEnd < text.length() && isIdentifierPart(text.charAt(tagEnd)) && text.charAt(tagEnd) != '$') {
        tagEnd++;
      }
    }
    if (charAt(tagEnd) != '$') {
      pos++;
      return new SqlToken(Kind.SYMBOL, "$", start);
    }
    String tag = text.substring(start, tagEnd + 1);
    int close = text.indexOf(tag, tagEnd + 1);
    if (close < 0) {
      throw new LexicalError("unterminated dollar-quoted string " + tag + " starting at character " + (start + 1));
    }
    pos = close + tag.length();
    return new SqlToken(Kind.STRING, text.substring(start, pos), start);
  }

  private boolean startsWith(String prefix) {
    return text.startsWith(prefix, pos);
  }

  private char charAt(int index) {
    return index < text.length() ? text.charAt(index) : '\0';
  }

  private static boolean isIdentifierStart(char c) {
    return Character.isLetter(c) || c == '_' || c >= 0x80;
  }

  private static boolean isIdentifierPart(char c) {
    return isIdentifierStart(c) || Character.isDigit(c) || c == '$';
  }
}
