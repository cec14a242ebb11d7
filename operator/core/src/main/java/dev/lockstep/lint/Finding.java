package dev.lockstep.lint;

import dev.lockstep.lint.rules.Blocked;
import dev.lockstep.lint.rules.LockMode;
import dev.lockstep.lint.rules.Risk;
import dev.lockstep.lint.rules.Rule;
import dev.lockstep.lint.rules.RuleHit;
import java.util.Set;

/**
 * One risk found in a script: the statement, the rule, and the facts, the observed ones winning over
 * the static ones where the shadow database ran the statement.
 *
 * @param file the script's file name (or path, for files on disk)
 * @param line 1-based line of the statement in the script
 * @param statement the statement on one line, without comments
 * @param table the table the risk is about, or null
 * @param lock the lock the statement holds on that table, or null
 * @param blocks what that lock blocks
 * @param rewrite whether the table is rewritten
 * @param observed what the shadow database saw, or null when it did not run the statement
 * @param reason why it is risky
 * @param step the SchemaMigration step that runs the script, or null for a script no step runs
 * @param undo whether the script is an undo script, run on rollback
 */
public record Finding(
    String file,
    int line,
    String statement,
    Rule rule,
    String table,
    LockMode lock,
    Set<Blocked> blocks,
    Risk risk,
    boolean rewrite,
    Observed observed,
    String reason,
    String step,
    boolean undo) {

  /** The finding for a static rule hit, before any observation. */
  public static Finding of(RuleHit hit, String step, boolean undo) {
    Set<Blocked> blocks = !hit.rule().blocksByTableLock() || hit.lock() == null
        ? hit.rule().blocks()
        : hit.lock().blocks();
    return new Finding(hit.statement().script(), hit.statement().line(), hit.statement().text(), hit.rule(),
        hit.table(), hit.lock(), Set.copyOf(blocks), hit.risk(), hit.rewrite(), null, hit.reason(),
        step, undo);
  }

  /** The safe alternative. */
  public String fix() {
    return rule.fix();
  }

  /** Whether this finding, alone, needs a person's approval: high risk on the way forward. */
  public boolean needsApproval() {
    return risk == Risk.HIGH && !undo;
  }

  public Finding withStep(String step) {
    return new Finding(file, line, statement, rule, table, lock, blocks, risk, rewrite, observed, reason, step, undo);
  }

  public Finding withFile(String file) {
    return new Finding(file, line, statement, rule, table, lock, blocks, risk, rewrite, observed, reason, step, undo);
  }

  /** This finding with the shadow database's facts, which win over the static ones. */
  public Finding withObservation(LockMode lock, boolean rewrite, Risk risk, Observed observed) {
    Set<Blocked> blocks = lock == null || !rule.blocksByTableLock() ? this.blocks : Set.copyOf(lock.blocks());
    return new Finding(file, line, statement, rule, table, lock, blocks, risk, rewrite, observed, reason, step, undo);
  }
}
