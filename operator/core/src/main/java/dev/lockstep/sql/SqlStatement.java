package dev.lockstep.sql;

import java.util.List;

/**
 * One statement of a script, as Flyway will send it to PostgreSQL.
 *
 * @param script file name of the script it comes from
 * @param line 1-based line of its first non-comment token in the script
 * @param sql the statement text as Flyway executes it (leading comments included, delimiter not)
 * @param tokens its tokens without comments
 * @param inTransaction whether it runs inside a transaction block: Flyway's transaction around the
 *     script, or one the script opened itself with BEGIN
 */
public record SqlStatement(String script, int line, String sql, List<SqlToken> tokens, boolean inTransaction) {

  /**
   * The statement on one line without its comments, spaced as its author spaced it: for reports.
   */
  public String text() {
    StringBuilder text = new StringBuilder();
    SqlToken previous = null;
    for (SqlToken token : tokens) {
      if (previous != null && token.offset() > previous.offset() + previous.text().length()) {
        text.append(' ');
      }
      text.append(token.text());
      previous = token;
    }
    return text.toString();
  }
}
