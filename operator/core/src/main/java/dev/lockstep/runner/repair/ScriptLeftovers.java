package dev.lockstep.runner.repair;

import dev.lockstep.lint.ddl.Ddl;
import dev.lockstep.lint.ddl.DdlParser;
import dev.lockstep.sql.Script;
import dev.lockstep.sql.SqlStatement;
import dev.lockstep.sql.SqlToken;
import dev.lockstep.runner.Identifiers;
import dev.lockstep.runner.migrate.InvalidIndexes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Judges what a script that failed half-way left behind, statement by statement, so that a repair
 * lets it run again from its first statement only when that is safe. The repair does not know which
 * statement failed, so every statement must pass:
 *
 * <ul>
 *   <li>{@code CREATE [UNIQUE] INDEX [CONCURRENTLY] name}: the index is looked up by name. Absent:
 *       never built (or already dropped) — fine. Invalid and no session building it: a failed
 *       concurrent build — dropped by the repair. Valid: fine when the statement says
 *       {@code IF NOT EXISTS} (a re-run skips it), else refused (a re-run would fail).
 *   <li>A statement that is re-runnable by its form — {@code IF NOT EXISTS}, {@code IF EXISTS},
 *       {@code CREATE OR REPLACE}, {@code SET}, {@code RESET} — is fine.
 *   <li>Anything else is refused: the repair cannot tell whether it took effect.
 * </ul>
 */
final class ScriptLeftovers {

  /** What the repair must undo before the script can run again: the invalid indexes it left. */
  record Verdict(List<InvalidIndexes.Index> invalidToDrop, List<String> refusals) {
    boolean safe() {
      return refusals.isEmpty();
    }
  }

  private ScriptLeftovers() {}

  static Verdict judge(Connection connection, Script script) throws SQLException {
    List<InvalidIndexes.Index> invalid = new ArrayList<>();
    List<String> refusals = new ArrayList<>();
    Set<Long> beingBuilt = indexesBeingBuilt(connection);
    List<SqlStatement> statements = script.statements();
    for (int i = 0; i < statements.size(); i++) {
      SqlStatement statement = statements.get(i);
      String where = "statement " + (i + 1) + " (line " + statement.line() + ") of " + script.name();
      Ddl ddl = DdlParser.parse(statement.tokens());
      if (ddl instanceof Ddl.CreateIndex index) {
        judgeIndex(connection, statement, index, where, beingBuilt, invalid, refusals);
      } else if (!rerunnable(statement.tokens())) {
        refusals.add(where + " (" + shorten(statement.text()) + ") may have taken effect and is not re-runnable"
            + " (no IF NOT EXISTS / IF EXISTS / OR REPLACE): undo it by hand if it ran, or make it re-runnable");
      }
    }
    return new Verdict(invalid, refusals);
  }

  private static void judgeIndex(Connection connection, SqlStatement statement, Ddl.CreateIndex index, String where,
      Set<Long> beingBuilt, List<InvalidIndexes.Index> invalid, List<String> refusals) throws SQLException {
    if (index.name() == null) {
      refusals.add(where + " creates an index without a name, so the repair cannot find it; name the index");
      return;
    }
    String regclass = Arrays.stream(index.name().split("\\.")).map(Identifiers::quote)
        .collect(Collectors.joining("."));
    String sql =
        """
        SELECT i.indexrelid::bigint, n.nspname, c.relname, t.relname, i.indisvalid
          FROM pg_index i
          JOIN pg_class c ON c.oid = i.indexrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
          JOIN pg_class t ON t.oid = i.indrelid
         WHERE i.indexrelid = to_regclass(?)
        """;
    try (PreparedStatement query = connection.prepareStatement(sql)) {
      query.setString(1, regclass);
      try (ResultSet rows = query.executeQuery()) {
        if (!rows.next()) {
          return; // never built, or already dropped: running the statement again builds it
        }
        InvalidIndexes.Index found =
            new InvalidIndexes.Index(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4));
        boolean valid = rows.getBoolean(5);
        if (!valid && beingBuilt.contains(found.oid())) {
          refusals.add(where + ": the index " + found + " is being built by another session right now; repair"
              + " again once that session has ended");
        } else if (!valid) {
          invalid.add(found);
        } else if (!containsWords(statement.tokens(), "if", "not", "exists")) {
          refusals.add(where + " built the index " + found + ", and running it again would fail: drop the index"
              + " (DROP INDEX CONCURRENTLY " + found.qualifiedName() + ") or add IF NOT EXISTS to the statement");
        }
      }
    }
  }

  private static Set<Long> indexesBeingBuilt(Connection connection) throws SQLException {
    Set<Long> oids = new java.util.HashSet<>();
    try (PreparedStatement query = connection.prepareStatement(
            "SELECT index_relid::bigint FROM pg_stat_progress_create_index WHERE index_relid IS NOT NULL");
        ResultSet rows = query.executeQuery()) {
      while (rows.next()) {
        oids.add(rows.getLong(1));
      }
    }
    return oids;
  }

  private static boolean rerunnable(List<SqlToken> tokens) {
    if (tokens.isEmpty()) {
      return true;
    }
    SqlToken first = tokens.get(0);
    return first.isWord("set") || first.isWord("reset")
        || containsWords(tokens, "if", "not", "exists")
        || containsWords(tokens, "if", "exists")
        || (first.isWord("create") && containsWords(tokens, "or", "replace"));
  }

  private static boolean containsWords(List<SqlToken> tokens, String... words) {
    for (int i = 0; i + words.length <= tokens.size(); i++) {
      boolean match = true;
      for (int j = 0; j < words.length && match; j++) {
        match = tokens.get(i + j).isWord(words[j]);
      }
      if (match) {
        return true;
      }
    }
    return false;
  }

  private static String shorten(String text) {
    return text.length() <= 60 ? text : text.substring(0, 57) + "...";
  }
}
