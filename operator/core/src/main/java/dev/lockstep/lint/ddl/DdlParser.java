package dev.lockstep.lint.ddl;

import dev.lockstep.lint.ddl.AlterAction.ConstraintKind;
import dev.lockstep.sql.SqlToken;
import dev.lockstep.sql.SqlTokenType;
import dev.lockstep.sql.TransactionControl;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads what a statement does from its tokens, following PostgreSQL's grammar for the statements the
 * risk rules are about (CREATE/ALTER/DROP TABLE, indexes, TRUNCATE, VACUUM, CLUSTER, REINDEX, ALTER
 * TYPE). It is not a full SQL parser: anything else is {@link Ddl.Other}, and PostgreSQL itself, on the
 * shadow database, is the judge of what a statement really does.
 */
public final class DdlParser {

  /** Key words that end a column's type and start its constraints. */
  private static final Set<String> COLUMN_CONSTRAINT_WORDS = Set.of(
      "not", "null", "default", "constraint", "check", "references", "unique", "primary", "generated",
      "collate", "using", "compression", "storage");

  private DdlParser() {}

  /** What the statement with these tokens (comments left out) does. */
  public static Ddl parse(List<SqlToken> tokens) {
    TransactionControl control = TransactionControl.of(tokens);
    if (control != TransactionControl.NONE) {
      return new Ddl.Transaction(control);
    }
    TokenCursor cursor = new TokenCursor(tokens);
    if (cursor.accept("create")) {
      return create(cursor);
    }
    if (cursor.accept("alter", "table")) {
      return alterTable(cursor);
    }
    if (cursor.accept("alter", "domain")) {
      return DomainParser.alterDomain(cursor);
    }
    if (cursor.peekWords("update") || cursor.peekWords("delete")) {
      return DataChangeParser.parse(cursor);
    }
    if (cursor.accept("alter", "type")) {
      String type = cursor.name();
      return type != null && cursor.accept("add", "value") ? new Ddl.AlterTypeAddValue(type) : new Ddl.Other();
    }
    if (cursor.accept("drop")) {
      return drop(cursor);
    }
    if (cursor.accept("truncate")) {
      cursor.accept("table");
      cursor.accept("only");
      List<String> tables = cursor.names();
      return new Ddl.Truncate(tables, cursor.restContainsWords("cascade"));
    }
    if (cursor.accept("vacuum")) {
      return vacuum(cursor);
    }
    if (cursor.accept("cluster")) {
      cursor.accept("verbose");
      return new Ddl.Cluster(cursor.name());
    }
    if (cursor.accept("reindex")) {
      return reindex(cursor);
    }
    return new Ddl.Other();
  }

  private static Ddl create(TokenCursor cursor) {
    if (cursor.accept("or", "replace")) {
      return new Ddl.Other();
    }
    if (cursor.accept("domain")) {
      return DomainParser.createDomain(cursor);
    }
    boolean unique = cursor.accept("unique");
    if (cursor.accept("index")) {
      boolean concurrently = cursor.accept("concurrently");
      cursor.accept("if", "not", "exists");
      String name = cursor.peekWords("on") ? null : cursor.name();
      if (!cursor.accept("on")) {
        return new Ddl.Other();
      }
      cursor.accept("only");
      return new Ddl.CreateIndex(name, cursor.name(), unique, concurrently);
    }
    if (unique) {
      return new Ddl.Other();
    }
    boolean temporary = cursor.accept("global") | cursor.accept("local");
    temporary |= cursor.accept("temporary") | cursor.accept("temp");
    cursor.accept("unlogged");
    if (temporary || !cursor.accept("table")) {
      return new Ddl.Other();
    }
    cursor.accept("if", "not", "exists");
    String table = cursor.name();
    if (table == null) {
      return new Ddl.Other();
    }
    Map<String, ColumnType> columns = new LinkedHashMap<>();
    for (List<SqlToken> element : TokenCursor.splitTopLevel(cursor.parenthesized())) {
      TokenCursor columnCursor = new TokenCursor(element);
      if (isTableConstraintStart(columnCursor) || columnCursor.peekWords("like")) {
        continue;
      }
      String column = columnCursor.name();
      ColumnType type = columnType(columnCursor);
      if (column != null && type != null) {
        columns.put(column, type);
      }
    }
    return new Ddl.CreateTable(table, columns);
  }

  private static Ddl alterTable(TokenCursor cursor) {
    cursor.accept("if", "exists");
    cursor.accept("only");
    String table = cursor.name();
    cursor.acceptSymbol("*");
    if (table == null) {
      return new Ddl.Other();
    }
    List<AlterAction> actions = new ArrayList<>();
    for (List<SqlToken> action : TokenCursor.splitTopLevel(cursor.rest())) {
      actions.add(alterAction(new TokenCursor(action)));
    }
    return new Ddl.AlterTable(table, actions);
  }

  private static AlterAction alterAction(TokenCursor cursor) {
    if (cursor.accept("add")) {
      if (isTableConstraintStart(cursor)) {
        return addConstraint(cursor);
      }
      cursor.accept("column");
      cursor.accept("if", "not", "exists");
      return addColumn(cursor);
    }
    if (cursor.accept("alter")) {
      cursor.accept("column");
      String column = cursor.name();
      if (cursor.accept("set", "not", "null")) {
        return new AlterAction.SetNotNull(column);
      }
      if (cursor.accept("drop", "not", "null")) {
        return new AlterAction.DropNotNull(column);
      }
      if (cursor.accept("set", "data", "type") || cursor.accept("type")) {
        ColumnType type = columnType(cursor);
        return new AlterAction.AlterColumnType(column, type, convertingUsing(cursor, column, type));
      }
      return new AlterAction.Other();
    }
    if (cursor.accept("validate", "constraint")) {
      return new AlterAction.ValidateConstraint(cursor.name());
    }
    if (cursor.accept("drop")) {
      if (cursor.peekWords("constraint") || cursor.peekWords("default") || cursor.peekWords("not")) {
        return new AlterAction.Other();
      }
      cursor.accept("column");
      cursor.accept("if", "exists");
      return new AlterAction.DropColumn(cursor.name());
    }
    if (cursor.accept("rename")) {
      if (cursor.accept("to")) {
        return new AlterAction.RenameTable(cursor.name());
      }
      if (cursor.peekWords("constraint")) {
        return new AlterAction.Other();
      }
      cursor.accept("column");
      String from = cursor.name();
      return cursor.accept("to") ? new AlterAction.RenameColumn(from, cursor.name()) : new AlterAction.Other();
    }
    if (cursor.accept("detach", "partition")) {
      cursor.name();
      boolean concurrently = cursor.accept("concurrently");
      // FINALIZE completes an interrupted DETACH .. CONCURRENTLY, under its weaker lock.
      return cursor.accept("finalize") ? new AlterAction.Other() : new AlterAction.DetachPartition(concurrently);
    }
    return new AlterAction.Other();
  }

  /**
   * Whether the rest of an ALTER COLUMN .. TYPE has a USING clause that converts the values: not just
   * the column itself ({@code USING col}), or cast to the new type ({@code USING col::text},
   * {@code USING CAST(col AS text)}), which PostgreSQL treats as no USING at all.
   */
  private static boolean convertingUsing(TokenCursor cursor, String column, ColumnType type) {
    while (!cursor.atEnd() && !cursor.peekWords("using")) {
      cursor.next();
    }
    if (!cursor.accept("using")) {
      return false;
    }
    if (cursor.accept("cast")) {
      TokenCursor cast = new TokenCursor(cursor.parenthesized());
      boolean sameCast = column != null && column.equals(cast.name()) && cast.accept("as")
          && type != null && type.equals(columnType(cast)) && cast.atEnd();
      return !(sameCast && cursor.atEnd());
    }
    if (column == null || !column.equals(cursor.name())) {
      return true;
    }
    if (cursor.acceptSymbol("::")) {
      return !(type != null && type.equals(columnType(cursor)) && cursor.atEnd());
    }
    return !cursor.atEnd();
  }

  private static boolean isTableConstraintStart(TokenCursor cursor) {
    return cursor.peekWords("constraint") || cursor.peekWords("check") || cursor.peekWords("unique")
        || cursor.peekWords("primary", "key") || cursor.peekWords("foreign", "key")
        || cursor.peekWords("exclude");
  }

  private static AlterAction addConstraint(TokenCursor cursor) {
    String name = cursor.accept("constraint") ? cursor.name() : null;
    ConstraintKind kind;
    String notNullColumn = null;
    String referencedTable = null;
    boolean usingIndex = false;
    if (cursor.accept("check")) {
      kind = ConstraintKind.CHECK;
      notNullColumn = isNotNullCheck(cursor.parenthesized());
    } else if (cursor.accept("foreign", "key")) {
      kind = ConstraintKind.FOREIGN_KEY;
      cursor.parenthesized();
      if (cursor.accept("references")) {
        referencedTable = cursor.name();
      }
    } else if (cursor.accept("unique")) {
      kind = ConstraintKind.UNIQUE;
      usingIndex = cursor.accept("using", "index");
    } else if (cursor.accept("primary", "key")) {
      kind = ConstraintKind.PRIMARY_KEY;
      usingIndex = cursor.accept("using", "index");
    } else if (cursor.accept("exclude")) {
      kind = ConstraintKind.EXCLUDE;
    } else {
      return new AlterAction.Other();
    }
    return new AlterAction.AddConstraint(
        name, kind, cursor.restContainsWords("not", "valid"), usingIndex, notNullColumn, referencedTable);
  }

  /** For the body of {@code CHECK (col IS NOT NULL)}, the column; otherwise null. */
  private static String isNotNullCheck(List<SqlToken> check) {
    TokenCursor cursor = new TokenCursor(check);
    String column = cursor.name();
    return column != null && cursor.accept("is", "not", "null") && cursor.atEnd() ? column : null;
  }

  private static AlterAction addColumn(TokenCursor cursor) {
    String column = cursor.name();
    ColumnType type = columnType(cursor);
    List<SqlToken> defaultExpression = null;
    boolean notNull = false;
    boolean generatedStored = false;
    boolean identity = false;
    boolean check = false;
    boolean unique = false;
    while (!cursor.atEnd()) {
      if (cursor.accept("not", "null")) {
        notNull = true;
      } else if (cursor.accept("default")) {
        defaultExpression = expression(cursor);
      } else if (cursor.accept("generated")) {
        cursor.accept("always");
        cursor.accept("by", "default");
        cursor.accept("as");
        if (cursor.accept("identity")) {
          identity = true;
        } else {
          cursor.parenthesized();
          generatedStored = cursor.accept("stored");
        }
      } else if (cursor.accept("check")) {
        check = true;
        cursor.parenthesized();
      } else if (cursor.accept("unique") || cursor.accept("primary", "key")) {
        unique = true;
      } else {
        cursor.next();
      }
    }
    return new AlterAction.AddColumn(
        column, type, defaultExpression, notNull, generatedStored, identity, check, unique);
  }

  /** The tokens of a DEFAULT expression: up to the next column constraint outside parentheses. */
  private static List<SqlToken> expression(TokenCursor cursor) {
    List<SqlToken> expression = new ArrayList<>();
    int depth = 0;
    while (!cursor.atEnd()) {
      SqlToken token = cursor.peek();
      if (depth == 0 && token.type() == SqlTokenType.WORD && COLUMN_CONSTRAINT_WORDS.contains(token.value())
          && !token.isWord("null")) {
        break;
      }
      if (token.isSymbol("(")) {
        depth++;
      } else if (token.isSymbol(")")) {
        depth--;
      }
      expression.add(cursor.next());
    }
    return expression;
  }

  /** A data type: words (possibly qualified), modifiers in parentheses, array brackets. */
  static ColumnType columnType(TokenCursor cursor) {
    List<String> words = new ArrayList<>();
    List<Integer> modifiers = new ArrayList<>();
    while (!cursor.atEnd()) {
      SqlToken token = cursor.peek();
      if (token.isSymbol("(") && !words.isEmpty() && modifiers.isEmpty()) {
        for (List<SqlToken> modifier : TokenCursor.splitTopLevel(cursor.parenthesized())) {
          if (modifier.size() == 1 && modifier.get(0).type() == SqlTokenType.NUMBER) {
            modifiers.add(Integer.parseInt(modifier.get(0).text()));
          }
        }
      } else if (token.isIdentifier() && !(token.type() == SqlTokenType.WORD
          && COLUMN_CONSTRAINT_WORDS.contains(token.value()))) {
        if (token.isWord("array")) {
          cursor.next();
          return new ColumnType(ColumnType.canonicalName(String.join(" ", words)), modifiers, true);
        }
        words.add(cursor.name());
      } else {
        break;
      }
    }
    if (words.isEmpty()) {
      return null;
    }
    boolean array = false;
    while (cursor.acceptSymbol("[")) {
      array = true;
      while (!cursor.atEnd() && !cursor.acceptSymbol("]")) {
        cursor.next();
      }
    }
    return new ColumnType(ColumnType.canonicalName(String.join(" ", words)), modifiers, array);
  }

  private static Ddl drop(TokenCursor cursor) {
    if (cursor.accept("index")) {
      boolean concurrently = cursor.accept("concurrently");
      cursor.accept("if", "exists");
      return new Ddl.DropIndex(cursor.names(), concurrently);
    }
    if (cursor.accept("table")) {
      cursor.accept("if", "exists");
      return new Ddl.DropTable(cursor.names());
    }
    if (cursor.accept("database")) {
      cursor.accept("if", "exists");
      return new Ddl.DropDatabase(cursor.name());
    }
    return new Ddl.Other();
  }

  private static Ddl vacuum(TokenCursor cursor) {
    boolean full = cursor.accept("full");
    if (cursor.peek() != null && cursor.peek().isSymbol("(")) {
      for (List<SqlToken> option : TokenCursor.splitTopLevel(cursor.parenthesized())) {
        full |= isEnabled(option, "full");
      }
    }
    cursor.accept("freeze");
    cursor.accept("verbose");
    cursor.accept("analyze");
    return new Ddl.Vacuum(full, cursor.names());
  }

  /**
   * Whether a parenthesised option such as {@code CONCURRENTLY}, {@code CONCURRENTLY true} or
   * {@code FULL 0} is the boolean option {@code name}, switched on: PostgreSQL takes {@code false},
   * {@code off} and {@code 0} (and {@code no}) for off.
   */
  private static boolean isEnabled(List<SqlToken> option, String name) {
    if (option.isEmpty() || !option.get(0).isWord(name)) {
      return false;
    }
    if (option.size() == 1) {
      return true;
    }
    SqlToken value = option.get(1);
    String text = value.type() == SqlTokenType.STRING ? value.value().toLowerCase(java.util.Locale.ROOT)
        : value.text().toLowerCase(java.util.Locale.ROOT);
    return !(text.equals("false") || text.equals("off") || text.equals("0") || text.equals("no"));
  }

  private static Ddl reindex(TokenCursor cursor) {
    boolean concurrently = false;
    if (cursor.peek() != null && cursor.peek().isSymbol("(")) {
      for (List<SqlToken> option : TokenCursor.splitTopLevel(cursor.parenthesized())) {
        concurrently |= isEnabled(option, "concurrently");
      }
    }
    SqlToken target = cursor.next();
    if (target == null || target.type() != SqlTokenType.WORD) {
      return new Ddl.Other();
    }
    concurrently |= cursor.accept("concurrently");
    return new Ddl.Reindex(target.value().toUpperCase(java.util.Locale.ROOT), cursor.name(), concurrently);
  }
}
