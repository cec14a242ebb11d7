package dev.lockstep.lint;

import java.util.ArrayList;
import java.util.List;

/** The findings of some scripts and, for a SchemaMigration, the risk of each step. */
public record LintResult(List<Finding> findings, List<StepRisk> steps) {

  public static LintResult empty() {
    return new LintResult(List.of(), List.of());
  }

  /**
   * Whether something needs a person's approval: a step validation would refuse, or a high-risk
   * statement in a script no step runs (a bare script has nobody to approve it).
   */
  public boolean needsApproval() {
    return steps.stream().anyMatch(StepRisk::refused)
        || findings.stream().anyMatch(finding -> finding.step() == null && finding.needsApproval());
  }

  public LintResult plus(LintResult other) {
    List<Finding> allFindings = new ArrayList<>(findings);
    allFindings.addAll(other.findings);
    List<StepRisk> allSteps = new ArrayList<>(steps);
    allSteps.addAll(other.steps);
    return new LintResult(List.copyOf(allFindings), List.copyOf(allSteps));
  }
}
