package dev.lockstep.lint.rules;

import static dev.lockstep.lint.rules.LockMode.ACCESS_EXCLUSIVE;
import static dev.lockstep.lint.rules.LockMode.EXCLUSIVE;
import static dev.lockstep.lint.rules.LockMode.ROW_EXCLUSIVE;
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
      "ADD COLUMN with a volatile default (or a serial or identity column) rewrites the whole table"
          + " while holding an ACCESS EXCLUSIVE lock.",
      "Add the column without a default (or with a constant one), SET DEFAULT in a separate"
          + " statement, then backfill existing rows in batches (a backfill step)."),
  ADDING_STORED_GENERATED_COLUMN("adding-stored-generated-column", ACCESS_EXCLUSIVE, Risk.HIGH, true,
      "ADD COLUMN .. GENERATED ALWAYS AS (..) STORED computes the value for every existing row: it"
          + " rewrites the whole table while holding an ACCESS EXCLUSIVE lock.",
      "Add an ordinary nullable column instead, keep it current for new rows with a trigger (or in the"
          + " application), and fill the existing rows with a backfill step; or compute the value in a"
          + " view or in the query. PostgreSQL cannot make an existing column generated without a rewrite."),
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
  DROP_INDEX_NON_CONCURRENT("drop-index-non-concurrent", ACCESS_EXCLUSIVE, Risk.HIGH, false,
      "DROP INDEX takes an ACCESS EXCLUSIVE lock on the table: it waits for running queries and every"
          + " query, reads included, queues behind it.",
      "DROP INDEX CONCURRENTLY, alone in its script (Flyway then runs it outside a transaction)."),
  DETACH_PARTITION_NON_CONCURRENT("detach-partition-non-concurrent", ACCESS_EXCLUSIVE, Risk.HIGH, false,
      "DETACH PARTITION without CONCURRENTLY holds an ACCESS EXCLUSIVE lock on the whole partitioned"
          + " table and on the partition: every query on the table waits.",
      "From PostgreSQL 14: DETACH PARTITION .. CONCURRENTLY (SHARE UPDATE EXCLUSIVE on the partitioned"
          + " table), alone in its script with V<n>__name.sql.conf saying executeInTransaction=false:"
          + " Flyway does not know it cannot run in a transaction. It is refused when the table has a"
          + " DEFAULT partition."),
  TRANSACTION_CONTROL_IN_SCRIPT("transaction-control-in-script", null, Risk.HIGH, false,
      "Flyway runs this script in a transaction of its own and records it in its history in that"
          + " transaction. A COMMIT or ROLLBACK in the script ends that transaction early: a later"
          + " failure leaves the script half applied, and a ROLLBACK silently undoes what ran before it"
          + " while Flyway records success.",
      "Remove BEGIN, COMMIT and ROLLBACK from scripts Flyway runs in a transaction (the default): Flyway"
          + " makes it. A statement that must run outside one goes alone in a script with"
          + " executeInTransaction=false; in such a script close every BEGIN with one COMMIT, unnested."),
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
  REINDEX_SYSTEM("reindex-system", ACCESS_EXCLUSIVE, Risk.HIGH, false,
      "REINDEX SYSTEM rebuilds every index of the system catalogs, holding SHARE on each catalog and"
          + " ACCESS EXCLUSIVE on its indexes: DDL, new connections and every query that has to read a"
          + " catalog wait. PostgreSQL cannot rebuild catalog indexes CONCURRENTLY.",
      "Do not reindex the system catalogs from a migration: run REINDEX SYSTEM by hand in a maintenance"
          + " window, if at all. REINDEX DATABASE CONCURRENTLY rebuilds the user indexes online (and skips"
          + " the catalogs)."),
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
  ALTER_DOMAIN_ADD_CONSTRAINT("alter-domain-add-constraint", SHARE, Risk.HIGH, false,
      "ALTER DOMAIN .. ADD CONSTRAINT (or SET NOT NULL) checks the value of every column of that domain"
          + " in every table, holding a SHARE lock on each of those tables for the whole scan: writes wait.",
      "ADD CONSTRAINT .. NOT VALID (no scan; new values are checked at once), then VALIDATE CONSTRAINT in"
          + " a later script at a quiet time: on a domain, VALIDATE still holds SHARE on each table while it"
          + " scans. For a large table prefer a CHECK on the table's column: added NOT VALID, its VALIDATE"
          + " takes only SHARE UPDATE EXCLUSIVE."),
  CREATE_DOMAIN_WITH_CONSTRAINT("create-domain-with-constraint", null, Risk.LOW, false,
      "Advisory: a domain with a CHECK or NOT NULL constraint is cheap to create, but every later change"
          + " to its constraints (ALTER DOMAIN .. ADD CONSTRAINT, SET NOT NULL, VALIDATE) scans every table"
          + " that uses it under SHARE locks, which block writes; it cannot be done online.",
      "Prefer a plain type with CHECK constraints on the tables' columns, which can be added NOT VALID"
          + " and validated online; keep domain constraints for rules that will never change."),
  DROPPING_NOT_NULL("dropping-not-null", ACCESS_EXCLUSIVE, Risk.LOW, false,
      "Advisory: DROP NOT NULL is a brief catalog change, but once new code writes NULLs, old code"
          + " that still runs and expects a value (a primitive field, a NOT NULL check of its own) breaks.",
      "Drop NOT NULL in an expand step, before any code writes NULL, and move every workload to code"
          + " that handles NULL before it does; roll back only while no NULL has been written."),
  WHOLE_TABLE_UPDATE_OR_DELETE("whole-table-update-or-delete", ROW_EXCLUSIVE, Risk.MODERATE, false,
      "This UPDATE or DELETE touches every row of the table in one transaction: it holds a row lock on"
          + " each row until the script commits, so the application's writes to those rows wait for as"
          + " long as the whole table takes, and it leaves a dead copy of every row for VACUUM.",
      "Change the data in a backfill step (backfill: {table, set, where, batchSize, undo}): it updates"
          + " the rows in small batches, each its own short transaction, and resumes where it stopped."
          + " Keep migrate scripts to schema changes."),
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

  /**
   * What the statement blocks. Mostly what its table lock blocks; but ALTER TYPE's lock is on the type,
   * so it blocks no table access, and a whole-table UPDATE or DELETE takes a weak table lock but locks
   * every row it touches, which blocks writes to them.
   */
  public Set<Blocked> blocks() {
    if (this == WHOLE_TABLE_UPDATE_OR_DELETE) {
      return EnumSet.of(Blocked.WRITES);
    }
    if (lock == null || this == ENUM_ADD_VALUE) {
      return EnumSet.noneOf(Blocked.class);
    }
    return lock.blocks();
  }

  /** Whether what the statement blocks follows from its table lock (observed or expected). */
  public boolean blocksByTableLock() {
    return this != ENUM_ADD_VALUE && this != WHOLE_TABLE_UPDATE_OR_DELETE;
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
