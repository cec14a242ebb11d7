package dev.lockstep.lint.shadow;

import dev.lockstep.lint.rules.LockMode;

/**
 * A lock PostgreSQL held on a relation while a statement ran, read from {@code pg_locks}.
 *
 * @param relation the table or index
 * @param mode the strongest mode held (or, for a statement observed from a second session, requested)
 * @param takenByStatement whether this statement took or strengthened it; false when an earlier
 *     statement of the same transaction already held it
 * @param granted false when the statement was still waiting for it
 * @param indexOf for a lock on an index, the index's table; null for tables and types
 */
public record ObservedLock(String relation, LockMode mode, boolean takenByStatement, boolean granted, String indexOf) {

  /** A lock on a table or type. */
  public ObservedLock(String relation, LockMode mode, boolean takenByStatement, boolean granted) {
    this(relation, mode, takenByStatement, granted, null);
  }

  /** The relation in words: {@code orders}, or {@code index orders_status (of orders)}. */
  public String describeRelation() {
    return indexOf == null ? relation : "index " + relation + " (of " + indexOf + ")";
  }
}
