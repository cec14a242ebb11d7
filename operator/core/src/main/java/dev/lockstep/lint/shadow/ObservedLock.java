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
 */
public record ObservedLock(String relation, LockMode mode, boolean takenByStatement, boolean granted) {}
