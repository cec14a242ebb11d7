package dev.lockstep.sql;

import java.util.List;

/** Statements that open or close a transaction block by hand. */
public enum TransactionControl {
  /** BEGIN, START TRANSACTION. */
  BEGIN,
  /** COMMIT, END, ROLLBACK, ABORT (not ROLLBACK TO SAVEPOINT, not the PREPARED forms). */
  END,
  NONE;

  public static TransactionControl of(List<SqlToken> tokens) {
    if (tokens.isEmpty()) {
      return NONE;
    }
    SqlToken first = tokens.get(0);
    SqlToken second = tokens.size() > 1 ? tokens.get(1) : null;
    if (first.isWord("begin") || (first.isWord("start") && second != null && second.isWord("transaction"))) {
      return BEGIN;
    }
    if (first.isWord("commit") || first.isWord("end") || first.isWord("abort") || first.isWord("rollback")) {
      boolean notTheWholeTransaction = second != null && (second.isWord("to") || second.isWord("prepared"));
      return notTheWholeTransaction ? NONE : END;
    }
    return NONE;
  }
}
