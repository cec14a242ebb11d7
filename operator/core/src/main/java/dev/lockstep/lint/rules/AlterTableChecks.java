package dev.lockstep.lint.rules;

import dev.lockstep.lint.ddl.AlterAction;
import dev.lockstep.lint.ddl.AlterAction.ConstraintKind;
import dev.lockstep.lint.ddl.ColumnType;
import dev.lockstep.lint.ddl.Ddl;
import dev.lockstep.sql.SqlStatement;
import java.util.List;

/**
 * The rules for ALTER TABLE actions. A table created in the same script is new and empty: nothing
 * waits on its locks, so only the transaction rules apply to it.
 */
final class AlterTableChecks {

  private static final String FOREIGN_KEY_REASON =
      "Adding a FOREIGN KEY checks every existing row while holding SHARE ROW EXCLUSIVE locks on both"
          + " tables, which block writes.";

  private final SchemaState schema;
  private final int postgresMajorVersion;

  AlterTableChecks(SchemaState schema, int postgresMajorVersion) {
    this.schema = schema;
    this.postgresMajorVersion = postgresMajorVersion;
  }

  void inspect(SqlStatement statement, Ddl.AlterTable alter, List<RuleHit> hits) {
    String table = alter.table();
    boolean existing = !schema.isNew(table);
    for (AlterAction action : alter.actions()) {
      if (action instanceof AlterAction.AddColumn add) {
        if (existing) {
          addColumn(statement, table, add, hits);
        }
        schema.setColumnType(table, add.column(), add.type());
      } else if (action instanceof AlterAction.AlterColumnType change) {
        if (existing && !keepsStorage(table, change)) {
          hits.add(changingType(statement, table, change));
        }
        schema.setColumnType(table, change.column(), change.type());
      } else if (action instanceof AlterAction.DropNotNull) {
        if (existing) {
          hits.add(RuleHit.of(Rule.DROPPING_NOT_NULL, statement, table));
        }
      } else if (action instanceof AlterAction.SetNotNull setNotNull) {
        boolean scanSkipped = postgresMajorVersion >= 12 && schema.isProvenNotNull(table, setNotNull.column());
        if (existing && !scanSkipped) {
          hits.add(RuleHit.of(Rule.SETTING_NOT_NULL, statement, table));
        }
      } else if (action instanceof AlterAction.AddConstraint constraint) {
        addConstraint(statement, table, existing, constraint, hits);
      } else if (action instanceof AlterAction.ValidateConstraint validate) {
        ConstraintKind kind = schema.addedNotValidInThisTransaction(table, validate.name());
        if (existing && statement.inTransaction() && kind != null) {
          RuleHit hit = RuleHit.of(Rule.VALIDATE_IN_SAME_TRANSACTION, statement, table);
          hits.add(kind == ConstraintKind.FOREIGN_KEY ? hit.withLock(LockMode.SHARE_ROW_EXCLUSIVE) : hit);
        }
        schema.validated(table, validate.name());
      } else if (action instanceof AlterAction.DropColumn drop) {
        if (existing) {
          hits.add(RuleHit.of(Rule.DROPPING_COLUMN, statement, table));
        }
        schema.dropColumn(table, drop.column());
      } else if (action instanceof AlterAction.RenameColumn rename) {
        if (existing) {
          hits.add(RuleHit.of(Rule.RENAMING_COLUMN, statement, table));
        }
        ColumnType type = schema.columnType(table, rename.from());
        schema.dropColumn(table, rename.from());
        schema.setColumnType(table, rename.to(), type);
      } else if (action instanceof AlterAction.RenameTable rename) {
        if (existing) {
          hits.add(RuleHit.of(Rule.RENAMING_TABLE, statement, table));
        }
        schema.renameTable(table, rename.to());
      } else if (action instanceof AlterAction.DetachPartition detach) {
        if (detach.concurrently() && statement.inTransaction()) {
          hits.add(RuleHit.of(Rule.CONCURRENTLY_IN_TRANSACTION, statement, table));
        } else if (!detach.concurrently() && existing) {
          hits.add(RuleHit.of(Rule.DETACH_PARTITION_NON_CONCURRENT, statement, table));
        }
      }
    }
  }

  private void addColumn(SqlStatement statement, String table, AlterAction.AddColumn add, List<RuleHit> hits) {
    boolean hasDefault = add.defaultExpression() != null && !DefaultExpressions.isNull(add.defaultExpression());
    boolean computedPerRow = add.identity() || (add.type() != null && add.type().isSerial())
        || (hasDefault && DefaultExpressions.isVolatile(add.defaultExpression()));
    if (!hasDefault && !computedPerRow && !add.generatedStored() && !add.notNull()) {
      schema.addedWithoutDefault(table, add.column());
    }
    if (add.generatedStored()) {
      hits.add(RuleHit.of(Rule.ADDING_STORED_GENERATED_COLUMN, statement, table));
    } else if (computedPerRow) {
      hits.add(RuleHit.of(Rule.ADDING_COLUMN_VOLATILE_DEFAULT, statement, table));
    } else if (hasDefault && postgresMajorVersion < 11) {
      hits.add(RuleHit.of(Rule.ADDING_COLUMN_VOLATILE_DEFAULT, statement, table).withReason(
          "Before PostgreSQL 11, ADD COLUMN with any non-null default rewrites the whole table while"
              + " holding an ACCESS EXCLUSIVE lock."));
    } else if (add.notNull() && !hasDefault) {
      hits.add(RuleHit.of(Rule.ADDING_REQUIRED_COLUMN, statement, table));
    }
    if (add.inlineCheck()) {
      hits.add(RuleHit.of(Rule.CONSTRAINT_MISSING_NOT_VALID, statement, table));
    }
    if (add.inlineUnique()) {
      hits.add(RuleHit.of(Rule.UNIQUE_CONSTRAINT_WITHOUT_INDEX, statement, table));
    }
  }

  private void addConstraint(
      SqlStatement statement, String table, boolean existing, AlterAction.AddConstraint constraint,
      List<RuleHit> hits) {
    if (constraint.name() != null && constraint.notNullColumn() != null) {
      schema.addNotNullCheck(table, constraint.name(), constraint.notNullColumn());
    }
    if (constraint.name() != null && constraint.notValid() && statement.inTransaction()) {
      schema.addedNotValid(table, constraint.name(), constraint.kind());
    }
    if (!existing) {
      return;
    }
    ConstraintKind kind = constraint.kind();
    if (kind == ConstraintKind.CHECK && !constraint.notValid()) {
      hits.add(RuleHit.of(Rule.CONSTRAINT_MISSING_NOT_VALID, statement, table));
    } else if (kind == ConstraintKind.FOREIGN_KEY && !constraint.notValid()) {
      hits.add(RuleHit.of(Rule.CONSTRAINT_MISSING_NOT_VALID, statement, table)
          .withLock(LockMode.SHARE_ROW_EXCLUSIVE)
          .withReason(FOREIGN_KEY_REASON));
    } else if ((kind == ConstraintKind.UNIQUE || kind == ConstraintKind.PRIMARY_KEY) && !constraint.usingIndex()) {
      hits.add(RuleHit.of(Rule.UNIQUE_CONSTRAINT_WITHOUT_INDEX, statement, table));
    }
  }

  private RuleHit changingType(SqlStatement statement, String table, AlterAction.AlterColumnType change) {
    RuleHit hit = RuleHit.of(Rule.CHANGING_COLUMN_TYPE, statement, table);
    ColumnType from = schema.columnType(table, change.column());
    if (from == null) {
      hit = hit.withReason(hit.reason() + " The linted scripts do not show the column's current type,"
          + " so this cannot tell whether the change is binary-coercible.");
    }
    if (postgresMajorVersion >= 12 && isTimestamp(change.type()) && (from == null || isTimestamp(from))) {
      hit = hit.withReason(hit.reason() + " Between timestamp and timestamptz PostgreSQL 12 and later skip the"
          + " rewrite only when the session time zone is UTC: the verdict depends on the time zone the"
          + " migration runs in.");
    }
    return hit;
  }

  private static boolean isTimestamp(ColumnType type) {
    return type != null && !type.array() && (type.name().equals("timestamp") || type.name().equals("timestamptz"));
  }

  private boolean keepsStorage(String table, AlterAction.AlterColumnType change) {
    ColumnType from = schema.columnType(table, change.column());
    return !change.using() && from != null && change.type() != null && change.type().keepsStorageOf(from);
  }
}
