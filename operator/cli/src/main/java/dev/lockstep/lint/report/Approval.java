package dev.lockstep.lint.report;

import dev.lockstep.lint.Finding;
import dev.lockstep.lint.LintResult;
import dev.lockstep.lint.StepRisk;

/** Whether a finding needs a person's approval, and whether it has a way to get it. */
public enum Approval {
  /** Not high risk on the way forward. */
  NOT_NEEDED("not-needed"),
  /** Its step has {@code approval: required}: a person approves it when it comes up. */
  REQUIRED("required"),
  /** The annotation {@code lockstep.dev/accept-risk} names its step. */
  RISK_ACCEPTED("risk-accepted"),
  /** Nothing is set up to approve it: validation refuses the step, or no migration runs the script. */
  MISSING("missing");

  private final String label;

  Approval(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static Approval of(Finding finding, LintResult result) {
    if (!finding.needsApproval()) {
      return NOT_NEEDED;
    }
    if (finding.step() == null) {
      return MISSING;
    }
    for (StepRisk step : result.steps()) {
      if (step.name().equals(finding.step())) {
        return step.approvalRequired() ? REQUIRED : step.riskAccepted() ? RISK_ACCEPTED : MISSING;
      }
    }
    return MISSING;
  }
}
