package dev.lockstep.lint.rules;

import dev.lockstep.sql.Script;
import dev.lockstep.sql.SqlStatement;
import dev.lockstep.sql.TransactionControl;
import java.util.List;

/**
 * BEGIN, COMMIT and ROLLBACK written in a script. In a script Flyway runs in a transaction they fight
 * Flyway's own: a COMMIT or ROLLBACK ends it early (high), a BEGIN does nothing but announce one
 * (moderate). In a script Flyway runs without one (executeInTransaction=false) a BEGIN .. COMMIT block
 * is the author's to make; a nested BEGIN or a stray COMMIT does nothing (moderate), and a BEGIN never
 * closed leaves its block open when the script ends (high).
 */
final class TransactionChecks {

  private static final String BEGIN_IN_FLYWAY_TRANSACTION =
      "BEGIN inside the transaction Flyway runs the script in does nothing (PostgreSQL only warns: there is"
          + " already a transaction in progress); the COMMIT that goes with it ends Flyway's transaction early.";
  private static final String NESTED_BEGIN =
      "BEGIN inside a transaction block the script already opened does nothing (PostgreSQL only warns);"
          + " the first COMMIT ends the outer block too.";
  private static final String STRAY_END =
      "COMMIT or ROLLBACK with no transaction block open does nothing (PostgreSQL only warns: there is no"
          + " transaction in progress); the statements before it were not in the block it seems to end.";
  private static final String UNCLOSED_BEGIN =
      "BEGIN without a COMMIT: the transaction block is still open when the script ends, and whether what"
          + " ran in it is kept depends on what happens to the connection next.";

  private TransactionChecks() {}

  static void inspect(Script script, List<RuleHit> hits) {
    SqlStatement openBlock = null;
    for (SqlStatement statement : script.statements()) {
      TransactionControl control = TransactionControl.of(statement.tokens());
      if (control == TransactionControl.NONE) {
        continue;
      }
      RuleHit hit = RuleHit.of(Rule.TRANSACTION_CONTROL_IN_SCRIPT, statement, null);
      if (script.transactional()) {
        hits.add(control == TransactionControl.BEGIN
            ? hit.withReason(BEGIN_IN_FLYWAY_TRANSACTION).withRisk(Risk.MODERATE)
            : hit);
      } else if (control == TransactionControl.BEGIN) {
        if (openBlock != null) {
          hits.add(hit.withReason(NESTED_BEGIN).withRisk(Risk.MODERATE));
        } else {
          openBlock = statement;
        }
      } else if (openBlock == null) {
        hits.add(hit.withReason(STRAY_END).withRisk(Risk.MODERATE));
      } else {
        openBlock = null;
      }
    }
    if (openBlock != null) {
      hits.add(RuleHit.of(Rule.TRANSACTION_CONTROL_IN_SCRIPT, openBlock, null).withReason(UNCLOSED_BEGIN));
    }
  }
}
