package dev.lockstep.lint.ddl;

import dev.lockstep.lint.sql.TransactionControl;
import java.util.List;
import java.util.Map;

/**
 * What a statement does, in the terms the risk rules need. Statements the rules do not care about are
 * {@link Other}.
 */
public sealed interface Ddl {

  /** CREATE TABLE; {@code columns} is empty for CREATE TABLE AS and PARTITION OF. */
  record CreateTable(String table, Map<String, ColumnType> columns) implements Ddl {}

  record CreateIndex(String table, boolean unique, boolean concurrently) implements Ddl {}

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

  /** BEGIN, COMMIT and the like, written in the script. */
  record Transaction(TransactionControl control) implements Ddl {}

  record Other() implements Ddl {}
}
