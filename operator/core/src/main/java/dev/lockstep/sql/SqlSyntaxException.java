package dev.lockstep.sql;

import java.util.List;

/** SQL that PostgreSQL would reject before running it: an unterminated string, comment or identifier. */
public final class SqlSyntaxException extends Exception {

  private final int line;
  private final int offset;
  private final List<SqlToken> tokensBefore;

  public SqlSyntaxException(String message, int line, List<SqlToken> tokensBefore) {
    this(message, line, -1, tokensBefore);
  }

  public SqlSyntaxException(String message, int line, int offset, List<SqlToken> tokensBefore) {
    super(message);
    this.line = line;
    this.offset = offset;
    this.tokensBefore = List.copyOf(tokensBefore);
  }

  /** 0-based character offset, in the lexed text, of the token that could not be read; -1 if unknown. */
  public int offset() {
    return offset;
  }

  /** 1-based line, counted from the start of the lexed text. */
  public int line() {
    return line;
  }

  /** The tokens read before the error. */
  public List<SqlToken> tokensBefore() {
    return tokensBefore;
  }
}
