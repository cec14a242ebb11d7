package dev.lockstep.lint.sql;

import java.util.List;

/** SQL that PostgreSQL would reject before running it: an unterminated string, comment or identifier. */
public final class SqlSyntaxException extends Exception {

  private final int line;
  private final List<SqlToken> tokensBefore;

  public SqlSyntaxException(String message, int line, List<SqlToken> tokensBefore) {
    super(message);
    this.line = line;
    this.tokensBefore = List.copyOf(tokensBefore);
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
