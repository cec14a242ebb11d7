package dev.lockstep.sql;

import java.util.Locale;

/**
 * One token of PostgreSQL SQL.
 *
 * @param type what kind of token
 * @param text the token exactly as written in the source
 * @param value for words the lower-case folded name, for quoted identifiers the unescaped name, for
 *     strings their content; otherwise the text
 * @param line 1-based line of the token's first character, counted from the start of the lexed text
 * @param offset position of the token's first character in the lexed text
 */
public record SqlToken(SqlTokenType type, String text, String value, int line, int offset) {

  /** Whether this is the unquoted key word {@code word} (compared case-insensitively). */
  public boolean isWord(String word) {
    return type == SqlTokenType.WORD && value.equals(word.toLowerCase(Locale.ROOT));
  }

  /** Whether this is the punctuation or operator {@code symbol}. */
  public boolean isSymbol(String symbol) {
    return (type == SqlTokenType.PUNCTUATION || type == SqlTokenType.OPERATOR) && text.equals(symbol);
  }

  /** Whether this token names something: an unquoted word or a quoted identifier. */
  public boolean isIdentifier() {
    return type == SqlTokenType.WORD || type == SqlTokenType.QUOTED_IDENTIFIER;
  }
}
