package dev.lockstep.runner.backfill;

import dev.lockstep.sql.PostgresLexer;
import dev.lockstep.sql.SqlSyntaxException;
import dev.lockstep.sql.SqlToken;
import dev.lockstep.sql.SqlTokenType;
import dev.lockstep.runner.RunnerFailure;
import java.util.List;

/**
 * Checks the SQL a resource's author gives a backfill ({@code --set}, {@code --where}) before it is
 * put into the runner's own statement: it must be one piece of a statement, never a statement of
 * its own.
 *
 * <p>The check is for mistakes, not a sandbox — the author also writes the migrations. What it
 * guarantees is that the text cannot end the runner's statement ({@code ;}) or escape the
 * parentheses it is put in; the rest PostgreSQL itself checks when the statement is prepared.
 */
public final class SqlFragment {

  private SqlFragment() {}

  /**
   * @param option the option the text came from, for the message
   * @param example a valid value, for the message
   * @return {@code text}, unchanged
   * @throws RunnerFailure (bad input) saying what is wrong and where
   */
  static String require(String text, String option, String example) {
    if (text == null || text.isBlank()) {
      throw RunnerFailure.badInput(option + " is empty; give an SQL expression such as " + example);
    }
    List<SqlToken> tokens = tokens(text);
    if (tokens != null && tokens.isEmpty()) {
      throw RunnerFailure.badInput(option + " holds only comments; give an SQL expression such as " + example);
    }
    String problem = problem(text);
    if (problem != null) {
      throw RunnerFailure.badInput(option + " " + problem);
    }
    return text;
  }

  /**
   * What keeps {@code text} from being one piece of SQL — a {@code ;} outside literals and
   * comments, unbalanced parentheses, an unterminated literal — as the end of a sentence that
   * starts with the field's name (e.g. {@code has a ; at character 13; ...}); null when there is
   * nothing wrong.
   */
  public static String problem(String text) {
    List<SqlToken> tokens = tokens(text);
    if (tokens == null) {
      try {
        PostgresLexer.tokenize(text);
      } catch (SqlSyntaxException e) {
        return "has an " + e.getMessage() + " starting at character " + (e.offset() + 1);
      }
    }
    int depth = 0;
    for (SqlToken token : tokens) {
      if (token.isSymbol(";")) {
        return "has a ; at character " + (token.offset() + 1) + "; give a single SQL expression, not statements";
      } else if (token.isSymbol("(")) {
        depth++;
      } else if (token.isSymbol(")") && --depth < 0) {
        return "has an unmatched ) at character " + (token.offset() + 1);
      }
    }
    return depth > 0 ? "has " + depth + " unclosed (" : null;
  }

  /** The tokens other than comments (the linter's PostgreSQL lexer), or null when the text does not lex. */
  private static List<SqlToken> tokens(String text) {
    try {
      return PostgresLexer.tokenize(text).stream().filter(t -> t.type() != SqlTokenType.COMMENT).toList();
    } catch (SqlSyntaxException e) {
      return null;
    }
  }
}
