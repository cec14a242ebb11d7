package dev.lockstep.lint.rules;

import dev.lockstep.lint.ddl.Ddl;
import dev.lockstep.sql.SqlToken;
import dev.lockstep.sql.SqlTokenType;
import java.util.List;

/**
 * Whether an UPDATE or DELETE touches every row of its table, as far as the text tells: it has no
 * WHERE, its WHERE is always true ({@code WHERE true}, {@code WHERE 1 = 1}), or it picks the rows where
 * a column is NULL that the linted scripts added, without a default, to the table when it had rows, so
 * that it is NULL in every one of them (the usual one-statement fill of a new column).
 */
final class WholeTable {

  private WholeTable() {}

  static boolean touchesEveryRow(Ddl.DataChange change, SchemaState schema) {
    List<SqlToken> where = change.where();
    if (where == null) {
      return true;
    }
    if (where.size() == 1 && where.get(0).isWord("true")) {
      return true;
    }
    if (where.size() == 3 && where.get(0).type() == SqlTokenType.NUMBER && where.get(1).isSymbol("=")
        && where.get(2).type() == SqlTokenType.NUMBER && where.get(0).text().equals(where.get(2).text())) {
      return true;
    }
    return where.size() == 3 && where.get(0).isIdentifier() && where.get(1).isWord("is") && where.get(2).isWord("null")
        && schema.isNullInEveryRow(change.table(), where.get(0).value());
  }
}
