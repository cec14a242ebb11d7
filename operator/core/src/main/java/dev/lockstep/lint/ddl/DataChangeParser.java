package dev.lockstep.lint.ddl;

import dev.lockstep.lint.ddl.Ddl.DataChangeKind;
import dev.lockstep.sql.SqlToken;
import java.util.List;

/**
 * UPDATE and DELETE, read as far as the rules need: the table and the WHERE condition, which tells
 * whether the statement touches every row.
 */
final class DataChangeParser {

  private DataChangeParser() {}

  /** A statement that starts with UPDATE or DELETE. */
  static Ddl parse(TokenCursor cursor) {
    DataChangeKind kind;
    if (cursor.accept("update")) {
      kind = DataChangeKind.UPDATE;
    } else if (cursor.accept("delete", "from")) {
      kind = DataChangeKind.DELETE;
    } else {
      return new Ddl.Other();
    }
    cursor.accept("only");
    String table = cursor.name();
    if (table == null) {
      return new Ddl.Other();
    }
    return new Ddl.DataChange(kind, table, where(cursor.rest()));
  }

  /** The condition after the top-level WHERE, up to RETURNING; null when there is no WHERE. */
  private static List<SqlToken> where(List<SqlToken> rest) {
    int depth = 0;
    int start = -1;
    for (int i = 0; i < rest.size(); i++) {
      SqlToken token = rest.get(i);
      if (token.isSymbol("(") || token.isSymbol("[")) {
        depth++;
      } else if (token.isSymbol(")") || token.isSymbol("]")) {
        depth--;
      } else if (depth == 0 && start < 0 && token.isWord("where")) {
        start = i + 1;
      } else if (depth == 0 && start >= 0 && token.isWord("returning")) {
        return rest.subList(start, i);
      }
    }
    return start < 0 ? null : rest.subList(start, rest.size());
  }
}
