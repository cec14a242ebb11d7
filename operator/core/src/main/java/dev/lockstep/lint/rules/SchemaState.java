package dev.lockstep.lint.rules;

import dev.lockstep.lint.ddl.AlterAction.ConstraintKind;
import dev.lockstep.lint.ddl.ColumnType;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the linter knows of the schema from the statements it has read so far: which tables exist and
 * where they were created, their column types, and the constraints in flight. Tables it has not seen
 * created already exist in the database.
 */
final class SchemaState {

  private record Table(String createdInScript, Map<String, ColumnType> columns) {}

  private final Map<String, Table> tables = new HashMap<>();
  /** Index name to its table, for the indexes the linted scripts created. */
  private final Map<String, String> indexes = new HashMap<>();
  /** "table.column" of columns added to a table with rows, without a default: NULL in every old row. */
  private final Set<String> nullInEveryRow = new HashSet<>();
  /** "table/constraint" of CHECK (col IS NOT NULL) constraints, to their column. */
  private final Map<String, String> notNullChecks = new HashMap<>();
  /** "table.column" proven not null by a validated CHECK (col IS NOT NULL). */
  private final Set<String> provenNotNull = new HashSet<>();
  /** "table/constraint" added NOT VALID in the transaction that is open now. */
  private final Map<String, ConstraintKind> notValidInTransaction = new HashMap<>();
  private String currentScript;

  void startScript(String script) {
    currentScript = script;
    endTransaction();
  }

  void endTransaction() {
    notValidInTransaction.clear();
  }

  /**
   * Whether the table was created in the script being read: a new, empty table whose locks no one
   * else waits for. A table created in an earlier script, or never seen, exists and has rows.
   */
  boolean isNew(String table) {
    Table known = tables.get(table);
    return known != null && known.createdInScript().equals(currentScript);
  }

  void createTable(String table, Map<String, ColumnType> columns) {
    tables.put(table, new Table(currentScript, new LinkedHashMap<>(columns)));
  }

  void dropTable(String table) {
    tables.remove(table);
  }

  void renameTable(String from, String to) {
    Table table = tables.remove(from);
    if (table != null) {
      tables.put(to, table);
    }
  }

  void createIndex(String index, String table) {
    if (index != null && table != null) {
      indexes.put(index, table);
    }
  }

  /** The table of an index the linted scripts created, or null. */
  String tableOfIndex(String index) {
    return indexes.get(index);
  }

  void dropIndex(String index) {
    indexes.remove(index);
  }

  /** A column added to an existing table without a default: every row it had holds NULL there. */
  void addedWithoutDefault(String table, String column) {
    nullInEveryRow.add(table + "." + column);
  }

  /** Whether the column was added to a table with rows without a default, so every old row is NULL. */
  boolean isNullInEveryRow(String table, String column) {
    return nullInEveryRow.contains(table + "." + column);
  }

  /** The column's type, or null when the linted scripts do not say. */
  ColumnType columnType(String table, String column) {
    Table known = tables.get(table);
    return known == null ? null : known.columns().get(column);
  }

  void setColumnType(String table, String column, ColumnType type) {
    Table known = tables.get(table);
    if (known != null && type != null) {
      known.columns().put(column, type);
    }
  }

  void dropColumn(String table, String column) {
    Table known = tables.get(table);
    if (known != null) {
      known.columns().remove(column);
    }
  }

  void addNotNullCheck(String table, String constraint, String column) {
    notNullChecks.put(table + "/" + constraint, column);
  }

  void validated(String table, String constraint) {
    String column = notNullChecks.get(table + "/" + constraint);
    if (column != null) {
      provenNotNull.add(table + "." + column);
    }
  }

  boolean isProvenNotNull(String table, String column) {
    return provenNotNull.contains(table + "." + column);
  }

  void addedNotValid(String table, String constraint, ConstraintKind kind) {
    notValidInTransaction.put(table + "/" + constraint, kind);
  }

  /** The kind of the constraint if it was added NOT VALID in the open transaction, else null. */
  ConstraintKind addedNotValidInThisTransaction(String table, String constraint) {
    return notValidInTransaction.get(table + "/" + constraint);
  }
}
