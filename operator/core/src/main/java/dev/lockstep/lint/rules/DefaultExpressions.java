package dev.lockstep.lint.rules;

import dev.lockstep.sql.SqlToken;
import dev.lockstep.sql.SqlTokenType;
import java.util.List;
import java.util.Set;

/**
 * Whether a column default is volatile, that is, evaluated once per row. Since PostgreSQL 11 a
 * non-volatile default is stored once in the catalog and ADD COLUMN does not rewrite the table; a
 * volatile one (random(), clock_timestamp(), gen_random_uuid(), nextval()) is computed for every row.
 *
 * <p>Statically this can only be told from the function names: the known stable and immutable
 * built-ins below pass, any other function call counts as volatile, as strong_migrations does. The
 * shadow database then shows whether PostgreSQL really rewrote the table, and its answer wins.
 */
final class DefaultExpressions {

  /** Built-in functions and function-like key words that are stable or immutable. */
  private static final Set<String> NON_VOLATILE = Set.of(
      "cast", "coalesce", "nullif", "greatest", "least", "row", "array",
      "now", "transaction_timestamp", "statement_timestamp", "current_setting",
      "lower", "upper", "length", "char_length", "concat", "concat_ws", "md5", "trim", "btrim", "ltrim",
      "rtrim", "replace", "substr", "substring", "left", "right", "lpad", "rpad", "format",
      "abs", "round", "floor", "ceil", "ceiling", "trunc", "to_char", "to_date", "to_timestamp",
      "to_number", "date_trunc", "make_date", "make_time", "make_timestamp", "make_timestamptz",
      "make_interval", "jsonb_build_object", "jsonb_build_array", "json_build_object", "json_build_array",
      "to_json", "to_jsonb", "timezone");

  private DefaultExpressions() {}

  /** Whether the DEFAULT expression {@code expression} calls a function that may be volatile. */
  static boolean isVolatile(List<SqlToken> expression) {
    for (int i = 0; i + 1 < expression.size(); i++) {
      SqlToken token = expression.get(i);
      SqlToken previous = i > 0 ? expression.get(i - 1) : null;
      // "::varchar(10)" and "AS numeric(10, 2)" name types, not functions.
      boolean typeName = previous != null && (previous.isSymbol("::") || previous.isWord("as"));
      boolean call = token.isIdentifier() && expression.get(i + 1).isSymbol("(") && !typeName;
      boolean qualified = previous != null && previous.isSymbol(".");
      if (call && (qualified || token.type() == SqlTokenType.QUOTED_IDENTIFIER
          || !NON_VOLATILE.contains(token.value()))) {
        return true;
      }
    }
    return false;
  }

  /** Whether the expression is just NULL, which adds nothing to store. */
  static boolean isNull(List<SqlToken> expression) {
    return expression.size() == 1 && expression.get(0).isWord("null");
  }
}
