package dev.lockstep.lint.rules;

import static dev.lockstep.lint.rules.LockMode.ACCESS_EXCLUSIVE;
import static dev.lockstep.lint.rules.LockMode.EXCLUSIVE;
import static dev.lockstep.lint.rules.LockMode.SHARE;
import static dev.lockstep.lint.rules.LockMode.SHARE_UPDATE_EXCLUSIVE;

import java.util.EnumSet;
import java.util.Set;

/**
 * The risk rules: for each, the lock the statement takes, what that blocks, how risky it is, whether
 * it rewrites the table, why, and the safe alternative. A finding may refine the lock (a foreign key
 * takes a weaker lock than a CHECK) and the shadow database may overrule it.
 */
public enum Rule {
  ADDING_COLUMN_VOLATILE_DEFAULT("adding-column-volatile-default", ACCESS_EXCLUSIVE, Risk.HIGH, true,
      "ADD COLUMN with a volatile default (or a serial, identity or stored generated column) rewrites"
          + " the whole table while holding an ACCESS EXCLUSIVE lock.",
      "Add the column without a default (or with a constant one), SET DEFAULT in a separate"
          + " statement, then backfill existing rows in batches (a backfill step)."),
  ADDING_REQUIRED_COLUMN("adding-required-column", ACCESS_EXCLUSIVE, Risk.HIGH, false,
      "ADD COLUMN .. NOT NULL without a default fails on a table that has rows, and breaks INSERTs"
          + " from code that does not know the column yet.",
      "Add the column nullable (or with a constant default), backfill it, add CHECK (col IS NOT NULL)"
          + " NOT VALID, VALIDATE it in a later script, then SET NOT NULL."),
  SETTING_NOT_NULL("setting-not-null", ACCESS_EXCLUSIVE, Risk.HIGH, false,
      "SET NOT NULL scans the whole table while holding an ACCESS EXCLUSIVE lock.",
      "Add CHECK (col IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT in a later script, then SET NOT NULL:"
          + " from PostgreSQL 12 the validated check lets it skip the scan. Drop the check afterwards."),
  CHANGING_COLUMN_TYPE("changing-column-type", ACCESS_EXCLUSIVE, Risk.HIGH, true,
      "ALTER COLUMN .. TYPE rewrites the table and its indexes while holding an ACCESS EXCLUSIVE lock"
          + " (binary-coercible changes such as varchar to text or a longer varchar do not).",
      "Add a column of the new type, write both, backfill in batches, switch reads, then drop the old"
          + " column in a contract step."),
  CONSTRAINT_MISSING_NOT_VALID("constraint-missing-not-valid", ACCESS_EXCLUSIVE, Risk.HIGH, false,
      "Adding a CHECK or FOREIGN KEY constraint checks every existing row while holding its lock.",
      "Add the constraint with NOT VALID (new rows are checked at once), then VALIDATE CONSTRAINT in a"
          + " later script: validation takes only a SHARE UPDATE EXCLUSIVE lock."),
  VALIDATE_IN_SAME_TRANSACTION("validate-in-same-transaction", ACCESS_EXCLUSIVE, Risk.HIGH, false,
      "VALIDATE CONSTRAINT in the transaction that added the constraint NOT VALID scans the table while"
          + " the lock ADD CONSTRAINT took is still held.",
      "Move VALIDATE CONSTRAINT to a later script: Flyway runs each script in its own transaction."),
  UNIQUE_CONSTRAINT_WITHOUT_INDEX("unique-constraint-without-index", ACCESS_EXCLUSIVE, Risk.HIGH, false,
      "Adding a UNIQUE or PRIMARY KEY constraint builds its index while holding an ACCESS EXCLUSIVE lock.",
      "CREATE UNIQUE INDEX CONCURRENTLY in a script of its own, then ADD CONSTRAINT .. UNIQUE USING"
          + " INDEX (or PRIMARY KEY USING INDEX)."),
  CREATE_INDEX_NON_CONCURRENT("create-index-non-concurrent", SHARE, Risk.HIGH, false,
      "CREATE INDEX without CONCURRENTLY on an existing table blocks writes for the whole build.",
      "CREATE INDEX CONCURRENTLY, alone in its script (Flyway then runs it outside a transaction)."),
  DROP_INDEX_NON_CONCURRENT("drop-index-non-concurrent", ACCESS_EXCLUSIVE, Risk.MODERATE, false,
      "DROP INDEX takes an ACCESS EXCLUSIVE lock on the table: it waits for running queries and every"
          + " query queues behind it.",
      "DROP INDEX CONCURRENTLY, alone in its script."),
  CONCURRENTLY_IN_TRANSACTION("concurrently-in-transaction", SHARE_UPDATE_EXCLUSIVE, Risk.HIGH, false,
      "This statement cannot run inside a transaction block: PostgreSQL refuses it and the migration"
          + " fails.",
      "Put the statement alone in a script of its own, without BEGIN/COMMIT, so that Flyway runs it"
          + " outside a transaction. Flyway does not recognise REINDEX .. CONCURRENTLY and DETACH PARTITION"
          + " .. CONCURRENTLY: for those add V<n>__name.sql.conf saying executeInTransaction=false."),
  DROPPING_COLUMN("dropping-column", ACCESS_EXCLUSIVE, Risk.HIGH, false,
      "DROP COLUMN deletes data and breaks every running client that still reads or writes the column.",
      "First stop every workload from using the column, then drop it in a contract step with"
          + " approval: required."),
  DROPPING_TABLE("dropping-table", ACCESS_EXCLUSIVE, Risk.HIGH, false,
      "DROP TABLE deletes data and breaks every running client that still uses the table.",
      "First stop every workload from using the table, then drop it in a contract step with"
          + " approval: required."),
  DROPPING_DATABASE("dropping-database", ACCESS_EXCLUSIVE, Risk.HIGH, false,
      "DROP DATABASE deletes a whole database.",
      "Do not drop databases from a migration; do it by hand, with a backup."),
  RENAMING_COLUMN("renaming-column", ACCESS_EXCLUSIVE, Risk.HIGH, false,
      "RENAME COLUMN breaks every running client that uses the old name.",
      "Add a column with the new name, write both, backfill, move readers, then drop the old column."),
  RENAMING_TABLE("renaming-table", ACCESS_EXCLUSIVE, Risk.HIGH, false,
      "RENAME TO breaks every running client that uses the old name.",
      "Create the new table (or a view with the new name), move clients over, then drop the old name."),
  TRUNCATE_CASCADE("truncate-cascade", ACCESS_EXCLUSIVE, Risk.HIGH, false,
      "TRUNCATE .. CASCADE also empties every table that references this one through a foreign key.",
      "Truncate the tables you mean by name, without CASCADE, or delete in batches."),
  VACUUM_FULL("vacuum-full", ACCESS_EXCLUSIVE, Risk.HIGH, true,
      "VACUUM FULL rewrites the table while holding an ACCESS EXCLUSIVE lock.",
      "Use plain VACUUM, or pg_repack to compact a table online."),
  CLUSTER("cluster", ACCESS_EXCLUSIVE, Risk.HIGH, true,
      "CLUSTER rewrites the table while holding an ACCESS EXCLUSIVE lock.",
      "Use pg_repack to reorder a table online."),
  REINDEX_NON_CONCURRENT("reindex-non-concurrent", SHARE, Risk.HIGH, false,
      "REINDEX without CONCURRENTLY blocks writes to the table and locks each index ACCESS EXCLUSIVE,"
          + " which blocks queries that plan to use it.",
      "REINDEX .. CONCURRENTLY (PostgreSQL 12 and later), alone in its script, with V<n>__name.sql.conf"
          + " saying executeInTransaction=false: Flyway does not know it cannot run in a transaction."),
  ENUM_ADD_VALUE("enum-add-value", EXCLUSIVE, Risk.MODERATE, false,
      "ALTER TYPE .. ADD VALUE cannot be undone (there is no DROP VALUE), and the new value cannot be"
          + " used before the transaction that added it commits.",
      "Add the value in a migration of its own, before any code writes it; do not rely on removing it"
          + " on rollback."),
  OBSERVED_REWRITE("observed-rewrite", ACCESS_EXCLUSIVE, Risk.HIGH, true,
      "PostgreSQL rewrote the table on the shadow database, though no static rule expected it.",
      "Find a form of the change that does not rewrite the table, or run it in a maintenance window"
          + " with approval: required."),
  STATEMENT_FAILS("statement-fails", null, Risk.MODERATE, false,
      "The statement failed on the shadow database (PostgreSQL 14, seeded with a few rows per table).",
      "Check the statement against the real schema and data; the failure may also come from objects"
          + " the linted scripts do not create.");

  private final String id;
  private final LockMode lock;
  private final Risk risk;
  private final boolean rewrite;
  private final String reason;
  private final String fix;

  Rule(String id, LockMode lock, Risk risk, boolean rewrite, String reason, String fix) {
    this.id = id;
    this.lock = lock;
    this.risk = risk;
    this.rewrite = rewrite;
    this.reason = reason;
    this.fix = fix;
  }

  /** The rule's stable id, as JSON and the status show it. */
  public String id() {
    return id;
  }

  /** The lock the statement takes on its table, or null when it takes none worth naming. */
  public LockMode lock() {
    return lock;
  }

  /** What the lock blocks; ALTER TYPE's lock is on the type, so it blocks no table access. */
  public Set<Blocked> blocks() {
    if (lock == null || this == ENUM_ADD_VALUE) {
      return EnumSet.noneOf(Blocked.class);
    }
    return lock.blocks();
  }

  public Risk risk() {
    return risk;
  }

  /** Whether the statement rewrites the table (all its rows and indexes are written anew). */
  public boolean rewrites() {
    return rewrite;
  }

  /** Why the statement is risky. */
  public String reason() {
    return reason;
  }

  /** The safe alternative. */
  public String fix() {
    return fix;
  }
}
