package dev.lockstep.lint.rules;

import dev.lockstep.sql.SqlStatement;

/**
 * A statement that a static rule matched.
 *
 * @param table the table the risk is about, or null when the statement names none
 * @param lock the lock the statement takes on it, refined from the rule's (a foreign key takes SHARE ROW
 *     EXCLUSIVE where a CHECK takes ACCESS EXCLUSIVE)
 * @param rewrite whether the rule expects a table rewrite
 * @param reason why, in words that fit this statement
 * @param risk how risky, the rule's unless this statement is a milder (or worse) form of it
 */
public record RuleHit(
    Rule rule, SqlStatement statement, String table, LockMode lock, boolean rewrite, String reason, Risk risk) {

  /** A hit with the rule's own risk. */
  public RuleHit(Rule rule, SqlStatement statement, String table, LockMode lock, boolean rewrite, String reason) {
    this(rule, statement, table, lock, rewrite, reason, rule.risk());
  }

  static RuleHit of(Rule rule, SqlStatement statement, String table) {
    return new RuleHit(rule, statement, table, rule.lock(), rule.rewrites(), rule.reason());
  }

  RuleHit withLock(LockMode lock) {
    return new RuleHit(rule, statement, table, lock, rewrite, reason, risk);
  }

  RuleHit withReason(String reason) {
    return new RuleHit(rule, statement, table, lock, rewrite, reason, risk);
  }

  RuleHit withRisk(Risk risk) {
    return new RuleHit(rule, statement, table, lock, rewrite, reason, risk);
  }
}
