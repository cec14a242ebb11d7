package dev.lockstep.lint.ddl;

import dev.lockstep.sql.SqlToken;
import dev.lockstep.sql.TransactionControl;
import java.util.List;
import java.util.Map;

/**
 * What a statement does, in the terms the risk rules need. Statements the rules do not care about are
 * {@link Other}.
 */
public sealed interface Ddl {

  /** CREATE TABLE; {@code columns} is empty for CREATE TABLE AS and PARTITION OF. */
  record CreateTable(String table, Map<String, ColumnType> columns) implements Ddl {}

  /** CREATE INDEX; {@code name} is null when PostgreSQL makes the name up. */
  record CreateIndex(String name, String table, boolean unique, boolean concurrently) implements Ddl {}

  record DropIndex(List<String> indexes, boolean concurrently) implements Ddl {}

  record AlterTable(String table, List<AlterAction> actions) implements Ddl {}

  record DropTable(List<String> tables) implements Ddl {}

  record DropDatabase(String database) implements Ddl {}

  record Truncate(List<String> tables, boolean cascade) implements Ddl {}

  /** VACUUM; {@code tables} is empty when it vacuums the whole database. */
  record Vacuum(boolean full, List<String> tables) implements Ddl {}

  /** CLUSTER; {@code table} is null when it re-clusters every table clustered before. */
  record Cluster(String table) implements Ddl {}

  /** REINDEX of an INDEX, TABLE, SCHEMA, DATABASE or SYSTEM. */
  record Reindex(String target, String name, boolean concurrently) implements Ddl {}

  record AlterTypeAddValue(String type) implements Ddl {}

  /** CREATE DOMAIN; {@code constrained} when it declares a CHECK or NOT NULL constraint. */
  record CreateDomain(String domain, boolean constrained) implements Ddl {}

  /** ALTER DOMAIN, by what it does to the values already stored in columns of the domain. */
  record AlterDomain(String domain, DomainChange change) implements Ddl {}

  /** What an ALTER DOMAIN does. */
  enum DomainChange {
    /** ADD CONSTRAINT without NOT VALID, or SET NOT NULL: every stored value is checked. */
    CHECKS_STORED_VALUES,
    /** ADD CONSTRAINT .. NOT VALID: only new values are checked. */
    ADD_NOT_VALID,
    VALIDATE_CONSTRAINT,
    OTHER
  }

  /**
   * UPDATE or DELETE of one table.
   *
   * @param where the tokens of its WHERE condition, or null when it has none
   */
  record DataChange(DataChangeKind kind, String table, List<SqlToken> where) implements Ddl {}

  enum DataChangeKind {
    UPDATE,
    DELETE
  }

  /** BEGIN, COMMIT and the like, written in the script. */
  record Transaction(TransactionControl control) implements Ddl {}

  record Other() implements Ddl {}
}
