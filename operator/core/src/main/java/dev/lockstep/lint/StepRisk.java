package dev.lockstep.lint;

import dev.lockstep.lint.rules.Risk;

/**
 * The risk of one SchemaMigration step: the highest risk of the scripts it applies (its undo scripts
 * are reported but do not count: see {@link Finding#needsApproval()}).
 *
 * @param approvalRequired the step has {@code approval: required}: a person approves it before it runs
 * @param riskAccepted the annotation {@code lockstep.dev/accept-risk} names the step
 */
public record StepRisk(String name, Risk risk, boolean approvalRequired, boolean riskAccepted) {

  /** A high-risk step with neither approval nor accepted risk: validation refuses it. */
  public boolean refused() {
    return risk == Risk.HIGH && !approvalRequired && !riskAccepted;
  }
}
