package dev.lockstep.lint.report;

import dev.lockstep.lint.Finding;
import dev.lockstep.lint.LintResult;
import dev.lockstep.lint.StepRisk;
import dev.lockstep.lint.rules.Blocked;
import dev.lockstep.lint.rules.Risk;
import java.util.stream.Collectors;

/** The report for people and CI logs: one block per finding, file:line first, then the steps. */
public final class TextReport {

  private static final int STATEMENT_WIDTH = 120;

  private TextReport() {}

  public static String render(LintResult result) {
    StringBuilder text = new StringBuilder();
    for (Finding finding : result.findings()) {
      text.append(finding.file()).append(':').append(finding.line()).append(": ")
          .append(finding.risk().label()).append(": ").append(finding.rule().id());
      if (finding.step() != null) {
        text.append(" (step ").append(finding.step()).append(finding.undo() ? ", undo" : "").append(')');
      } else if (finding.undo()) {
        text.append(" (undo)");
      }
      text.append('\n');
      text.append("    ").append(abbreviate(finding.statement())).append('\n');
      text.append("    lock: ").append(finding.lock() == null ? "none" : finding.lock().sqlName());
      if (finding.table() != null) {
        text.append(" on ").append(finding.table());
      }
      text.append(", blocks: ").append(blocks(finding)).append(", rewrite: ")
          .append(finding.rewrite() ? "yes" : "no").append('\n');
      text.append("    why: ").append(finding.reason()).append('\n');
      text.append("    fix: ").append(finding.fix()).append('\n');
      if (finding.observed() != null) {
        text.append("    observed: ").append(finding.observed().note()).append('\n');
      }
    }
    if (!result.steps().isEmpty()) {
      text.append("steps:\n");
      for (StepRisk step : result.steps()) {
        text.append("    ").append(step.name()).append(": ").append(step.risk().label());
        if (step.risk() == Risk.HIGH) {
          text.append(step.approvalRequired() ? " (approval: required)"
              : step.riskAccepted() ? " (risk accepted by annotation)" : " (refused: needs approval)");
        }
        text.append('\n');
      }
    }
    text.append(summary(result)).append('\n');
    return text.toString();
  }

  static String summary(LintResult result) {
    String counts = counts(result);
    return result.needsApproval() ? counts + "; approval needed" : counts + "; nothing needs approval";
  }

  /** {@code 3 findings (2 high, 1 moderate)}. */
  static String counts(LintResult result) {
    long high = result.findings().stream().filter(f -> f.risk() == Risk.HIGH).count();
    long moderate = result.findings().stream().filter(f -> f.risk() == Risk.MODERATE).count();
    return result.findings().size() + " finding" + (result.findings().size() == 1 ? "" : "s")
        + " (" + high + " high, " + moderate + " moderate)";
  }

  private static String blocks(Finding finding) {
    return finding.blocks().isEmpty() ? "nothing"
        : finding.blocks().stream().sorted().map(Blocked::label).collect(Collectors.joining(" and "));
  }

  private static String abbreviate(String statement) {
    String oneLine = statement.replaceAll("\\s+", " ");
    return oneLine.length() <= STATEMENT_WIDTH ? oneLine : oneLine.substring(0, STATEMENT_WIDTH - 3) + "...";
  }
}
