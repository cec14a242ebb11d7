package dev.lockstep.lint.ddl;

import dev.lockstep.sql.SqlToken;
import java.util.List;

/** One action of an ALTER TABLE statement. */
public sealed interface AlterAction {

  /**
   * ADD COLUMN.
   *
   * @param defaultExpression the DEFAULT expression's tokens, or null when there is none
   * @param generatedStored GENERATED ALWAYS AS (..) STORED: computed for every existing row
   * @param identity GENERATED .. AS IDENTITY: numbered for every existing row
   * @param inlineCheck a CHECK constraint on the column, validated against every existing row
   * @param inlineUnique a UNIQUE or PRIMARY KEY constraint on the column, which builds an index
   */
  record AddColumn(
      String column,
      ColumnType type,
      List<SqlToken> defaultExpression,
      boolean notNull,
      boolean generatedStored,
      boolean identity,
      boolean inlineCheck,
      boolean inlineUnique)
      implements AlterAction {}

  /**
   * ALTER COLUMN .. TYPE.
   *
   * @param using a USING expression that computes something other than the column cast to the new
   *     type ({@code USING col::text} to {@code text} is no conversion of its own, so it is false)
   */
  record AlterColumnType(String column, ColumnType type, boolean using) implements AlterAction {}

  record SetNotNull(String column) implements AlterAction {}

  record DropNotNull(String column) implements AlterAction {}

  /**
   * ADD [CONSTRAINT name] CHECK / FOREIGN KEY / UNIQUE / PRIMARY KEY / EXCLUDE.
   *
   * @param notNullColumn for {@code CHECK (col IS NOT NULL)}, the column; otherwise null
   * @param referencedTable for a foreign key, the table it references
   */
  record AddConstraint(
      String name,
      ConstraintKind kind,
      boolean notValid,
      boolean usingIndex,
      String notNullColumn,
      String referencedTable)
      implements AlterAction {}

  record ValidateConstraint(String name) implements AlterAction {}

  record DropColumn(String column) implements AlterAction {}

  record RenameColumn(String from, String to) implements AlterAction {}

  record RenameTable(String to) implements AlterAction {}

  /** DETACH PARTITION, which with CONCURRENTLY cannot run in a transaction block. */
  record DetachPartition(boolean concurrently) implements AlterAction {}

  record Other() implements AlterAction {}

  enum ConstraintKind {
    CHECK,
    FOREIGN_KEY,
    UNIQUE,
    PRIMARY_KEY,
    EXCLUDE
  }
}
