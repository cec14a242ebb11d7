package dev.lockstep.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A lexer for PostgreSQL's SQL dialect, following the rules of the server's own scanner
 * ({@code src/backend/parser/scan.l}) with {@code standard_conforming_strings} on (the default since
 * PostgreSQL 9.1).
 *
 * <p>Rules match on its tokens, never on raw text: a key word inside a comment, a string constant, a
 * dollar-quoted function body or a quoted identifier is not a key word. What it handles:
 *
 * <ul>
 *   <li>{@code --} line comments and {@code /* *}{@code /} block comments, which nest;
 *   <li>identifiers (folded to lower case) and {@code "quoted"} identifiers with {@code ""} escapes,
 *       also in the {@code U&"..."} form;
 *   <li>string constants {@code '..'} with {@code ''} escapes, {@code E'..'} with backslash escapes,
 *       {@code U&'..'}, {@code B'..'}, {@code X'..'}, {@code N'..'}, and dollar-quoted strings
 *       {@code $tag$..$tag$};
 *   <li>numbers, positional parameters {@code $1}, operators and punctuation.
 * </ul>
 */
public final class PostgresLexer {

  private static final String OPERATOR_CHARS = "+-*/<>=~!@#%^&|`?";

  private final String sql;
  private int pos;
  private int line = 1;

  private PostgresLexer(String sql) {
    this.sql = sql;
  }

  /** All tokens of {@code sql}, comments included, whitespace left out. */
  public static List<SqlToken> tokenize(String sql) throws SqlSyntaxException {
    return new PostgresLexer(sql).run();
  }

  private List<SqlToken> run() throws SqlSyntaxException {
    List<SqlToken> tokens = new ArrayList<>();
    while (true) {
      skipWhitespace();
      if (pos >= sql.length()) {
        return tokens;
      }
      int start = pos;
      try {
        tokens.add(next());
      } catch (LexError e) {
        throw new SqlSyntaxException(e.getMessage(), e.line, start, tokens);
      }
    }
  }

  /** Raised inside the lexer; {@link #run()} adds the tokens read so far. */
  private static final class LexError extends Exception {
    private final int line;

    LexError(String message, int line) {
      super(message, null, false, false);
      this.line = line;
    }
  }

  private SqlToken next() throws LexError {
    int start = pos;
    int startLine = line;
    char c = sql.charAt(pos);
    if (startsWith("--")) {
      while (pos < sql.length() && sql.charAt(pos) != '\n' && sql.charAt(pos) != '\r') {
        pos++;
      }
      return token(SqlTokenType.COMMENT, start, startLine, sql.substring(start, pos));
    }
    if (startsWith("/*")) {
      return blockComment(start, startLine);
    }
    if (c == '\'') {
      return quotedString(start, startLine, pos, false);
    }
    if (c == '"') {
      return quotedIdentifier(start, startLine, pos);
    }
    if (c == '$') {
      return dollar(start, startLine);
    }
    if (isPrefixedQuote()) {
      return prefixedQuote(start, startLine);
    }
    if (isIdentifierStart(c)) {
      pos++;
      while (pos < sql.length() && isIdentifierPart(sql.charAt(pos))) {
        pos++;
      }
      String text = sql.substring(start, pos);
      return new SqlToken(SqlTokenType.WORD, text, text.toLowerCase(Locale.ROOT), startLine, start);
    }
    if (Character.isDigit(c) || (c == '.' && pos + 1 < sql.length() && Character.isDigit(sql.charAt(pos + 1)))) {
      return number(start, startLine);
    }
    if (startsWith("::")) {
      pos += 2;
      return token(SqlTokenType.PUNCTUATION, start, startLine, "::");
    }
    if ("()[],;:.".indexOf(c) >= 0) {
      pos++;
      return token(SqlTokenType.PUNCTUATION, start, startLine, String.valueOf(c));
    }
    if (OPERATOR_CHARS.indexOf(c) >= 0) {
      pos++;
      // An operator ends where a comment starts: "a+--x" is "a", "+" and a comment.
      while (pos < sql.length() && OPERATOR_CHARS.indexOf(sql.charAt(pos)) >= 0
          && !startsWith("--") && !startsWith("/*")) {
        pos++;
      }
      return token(SqlTokenType.OPERATOR, start, startLine, sql.substring(start, pos));
    }
    // PostgreSQL would reject anything else; the statement is still lexed so that the shadow
    // database, not the linter, reports the syntax error.
    pos++;
    return token(SqlTokenType.OPERATOR, start, startLine, String.valueOf(c));
  }

  private SqlToken blockComment(int start, int startLine) throws LexError {
    int depth = 0;
    while (pos < sql.length()) {
      if (startsWith("/*")) {
        depth++;
        pos += 2;
      } else if (startsWith("*/")) {
        depth--;
        pos += 2;
        if (depth == 0) {
          return token(SqlTokenType.COMMENT, start, startLine, sql.substring(start, pos));
        }
      } else {
        advance();
      }
    }
    throw new LexError("unterminated /* comment", startLine);
  }

  /**
   * A string constant whose opening quote is at {@code quote}. With {@code backslashEscapes} (the
   * {@code E''} form) a backslash escapes the next character; in every form {@code ''} is a quote.
   */
  private SqlToken quotedString(int start, int startLine, int quote, boolean backslashEscapes)
      throws LexError {
    pos = quote + 1;
    StringBuilder value = new StringBuilder();
    while (pos < sql.length()) {
      char c = sql.charAt(pos);
      if (backslashEscapes && c == '\\' && pos + 1 < sql.length()) {
        value.append(sql.charAt(pos + 1));
        advance();
        advance();
      } else if (c == '\'') {
        if (pos + 1 < sql.length() && sql.charAt(pos + 1) == '\'') {
          value.append('\'');
          pos += 2;
        } else {
          pos++;
          return new SqlToken(SqlTokenType.STRING, sql.substring(start, pos), value.toString(), startLine, start);
        }
      } else {
        value.append(c);
        advance();
      }
    }
    throw new LexError("unterminated quoted string", startLine);
  }

  private SqlToken quotedIdentifier(int start, int startLine, int quote) throws LexError {
    pos = quote + 1;
    StringBuilder value = new StringBuilder();
    while (pos < sql.length()) {
      char c = sql.charAt(pos);
      if (c == '"') {
        if (pos + 1 < sql.length() && sql.charAt(pos + 1) == '"') {
          value.append('"');
          pos += 2;
        } else {
          pos++;
          if (value.length() == 0) {
            throw new LexError("zero-length delimited identifier", startLine);
          }
          return new SqlToken(
              SqlTokenType.QUOTED_IDENTIFIER, sql.substring(start, pos), value.toString(), startLine, start);
        }
      } else {
        value.append(c);
        advance();
      }
    }
    throw new LexError("unterminated quoted identifier", startLine);
  }

  /** {@code $1}, or a dollar-quoted string {@code $tag$...$tag$} (the tag may be empty). */
  private SqlToken dollar(int start, int startLine) throws LexError {
    int end = pos + 1;
    if (end < sql.length() && Character.isDigit(sql.charAt(end))) {
      while (end < sql.length() && Character.isDigit(sql.charAt(end))) {
        end++;
      }
      pos = end;
      return token(SqlTokenType.PARAMETER, start, startLine, sql.substring(start, end));
    }
    if (end < sql.length() && isIdentifierStart(sql.charAt(end))) {
      end++;
      while (end < sql.length() && isDollarTagPart(sql.charAt(end))) {
        end++;
      }
    }
    if (end >= sql.length() || sql.charAt(end) != '$') {
      // Not a dollar quote: a Flyway placeholder such as ${schema}, replaced before PostgreSQL sees it.
      pos++;
      return token(SqlTokenType.OPERATOR, start, startLine, "$");
    }
    String delimiter = sql.substring(start, end + 1);
    int bodyStart = end + 1;
    int close = sql.indexOf(delimiter, bodyStart);
    if (close < 0) {
      throw new LexError("unterminated dollar-quoted string " + delimiter, startLine);
    }
    String body = sql.substring(bodyStart, close);
    while (pos < close + delimiter.length()) {
      advance();
    }
    return new SqlToken(SqlTokenType.STRING, sql.substring(start, pos), body, startLine, start);
  }

  /** {@code E'..'}, {@code B'..'}, {@code X'..'}, {@code N'..'}, {@code U&'..'} or {@code U&".."}. */
  private boolean isPrefixedQuote() {
    char c = Character.toUpperCase(sql.charAt(pos));
    if ("EBXN".indexOf(c) >= 0) {
      return pos + 1 < sql.length() && sql.charAt(pos + 1) == '\'';
    }
    return c == 'U' && pos + 2 < sql.length() && sql.charAt(pos + 1) == '&'
        && (sql.charAt(pos + 2) == '\'' || sql.charAt(pos + 2) == '"');
  }

  private SqlToken prefixedQuote(int start, int startLine) throws LexError {
    char c = Character.toUpperCase(sql.charAt(pos));
    if (c == 'U') {
      return sql.charAt(pos + 2) == '"'
          ? quotedIdentifier(start, startLine, pos + 2)
          : quotedString(start, startLine, pos + 2, false);
    }
    return quotedString(start, startLine, pos + 1, c == 'E');
  }

  private SqlToken number(int start, int startLine) {
    while (pos < sql.length() && (Character.isDigit(sql.charAt(pos)) || sql.charAt(pos) == '.')) {
      if (sql.charAt(pos) == '.' && pos + 1 < sql.length() && sql.charAt(pos + 1) == '.') {
        break; // "1..2" is not a number followed by ".2"; leave the dots to punctuation
      }
      pos++;
    }
    if (pos < sql.length() && (sql.charAt(pos) == 'e' || sql.charAt(pos) == 'E')) {
      int exponent = pos + 1;
      if (exponent < sql.length() && (sql.charAt(exponent) == '+' || sql.charAt(exponent) == '-')) {
        exponent++;
      }
      if (exponent < sql.length() && Character.isDigit(sql.charAt(exponent))) {
        pos = exponent;
        while (pos < sql.length() && Character.isDigit(sql.charAt(pos))) {
          pos++;
        }
      }
    }
    return token(SqlTokenType.NUMBER, start, startLine, sql.substring(start, pos));
  }

  private void skipWhitespace() {
    while (pos < sql.length() && isWhitespace(sql.charAt(pos))) {
      advance();
    }
  }

  private void advance() {
    if (sql.charAt(pos) == '\n') {
      line++;
    }
    pos++;
  }

  private boolean startsWith(String prefix) {
    return sql.startsWith(prefix, pos);
  }

  private SqlToken token(SqlTokenType type, int start, int startLine, String text) {
    return new SqlToken(type, text, text, startLine, start);
  }

  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
  }

  private static boolean isIdentifierStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
  }

  private static boolean isIdentifierPart(char c) {
    return isIdentifierStart(c) || Character.isDigit(c) || c == '$';
  }

  private static boolean isDollarTagPart(char c) {
    return isIdentifierStart(c) || Character.isDigit(c);
  }
}
