package dev.lockstep.lint;

import dev.lockstep.api.RiskFinding;
import dev.lockstep.api.RiskReport;
import dev.lockstep.lint.rules.Risk;
import java.util.ArrayList;
import java.util.List;

/**
 * The risk classification of a SchemaMigration, as validation needs it: the level, each step's risk,
 * the findings, and which steps are refused.
 *
 * @param level the highest risk of any step
 * @param steps each step's risk, in order
 * @param findings what was found, undo scripts included
 * @param errors scripts or steps that cannot be judged (a script Flyway cannot run, duplicate
 *     versions); a migration with errors is refused too
 */
public record RiskAssessment(Risk level, List<StepRisk> steps, List<Finding> findings, List<String> errors) {

  static RiskAssessment of(LintResult result) {
    Risk level = Risk.LOW;
    for (StepRisk step : result.steps()) {
      level = level.max(step.risk());
    }
    return new RiskAssessment(level, result.steps(), result.findings(), List.of());
  }

  static RiskAssessment invalid(String error) {
    return new RiskAssessment(Risk.LOW, List.of(), List.of(), List.of(error));
  }

  /** Names of the high-risk steps that have neither {@code approval: required} nor accepted risk. */
  public List<String> refusedSteps() {
    return steps.stream().filter(StepRisk::refused).map(StepRisk::name).toList();
  }

  /** Whether validation must fail. */
  public boolean refused() {
    return !errors.isEmpty() || steps.stream().anyMatch(StepRisk::refused);
  }

  /**
   * Why validation fails, in one line per refused step or error, naming the findings and what to do;
   * empty when nothing is refused.
   */
  public List<String> refusalMessages() {
    List<String> messages = new ArrayList<>(errors);
    for (StepRisk step : steps) {
      if (!step.refused()) {
        continue;
      }
      StringBuilder message = new StringBuilder("step ").append(step.name()).append(" is high risk (");
      String separator = "";
      for (Finding finding : findings) {
        if (step.name().equals(finding.step()) && finding.needsApproval()) {
          message.append(separator).append(finding.rule().id()).append(" at ").append(finding.file())
              .append(':').append(finding.line());
          separator = ", ";
        }
      }
      message.append("): add approval: required to the step, or the annotation ")
          .append(LintUnit.ACCEPT_RISK_ANNOTATION).append(": ").append(step.name());
      messages.add(message.toString());
    }
    return messages;
  }

  /** The risk as {@code status.risk} records it. */
  public RiskReport toRiskReport() {
    RiskReport report = new RiskReport();
    report.setLevel(level.title());
    List<RiskFinding> riskFindings = new ArrayList<>();
    for (Finding finding : findings) {
      RiskFinding riskFinding = new RiskFinding();
      riskFinding.setScript(finding.file());
      riskFinding.setLine(finding.line());
      riskFinding.setRule(finding.rule().id());
      riskFinding.setLock(finding.lock() == null ? null : finding.lock().sqlName());
      riskFinding.setStep(finding.step());
      riskFinding.setRisk(finding.risk().title());
      riskFinding.setMessage(finding.reason() + " Instead: " + finding.fix()
          + (finding.undo() ? " (undo script: runs on rollback)" : ""));
      riskFindings.add(riskFinding);
    }
    report.setFindings(riskFindings);
    return report;
  }
}
