package dev.lockstep.lint.report;

import dev.lockstep.lint.Finding;
import dev.lockstep.lint.LintResult;
import dev.lockstep.lint.StepRisk;
import dev.lockstep.lint.input.LintedInputs;
import dev.lockstep.lint.input.LintedInputs.LintedMigration;
import dev.lockstep.lint.input.LintedInputs.PlannedStep;
import dev.lockstep.lint.input.SourceLocation;
import dev.lockstep.lint.rules.Risk;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The report as a pull-request comment in GitHub-flavoured Markdown: the verdict, then per
 * SchemaMigration the plan of its steps and one table of findings (step, risk, lock, what it blocks,
 * the fix), then the scripts no migration runs.
 */
public final class MarkdownReport {

  private static final int STATEMENT_WIDTH = 100;

  private MarkdownReport() {}

  public static String render(LintedInputs linted) {
    LintResult result = linted.result();
    StringBuilder md = new StringBuilder();
    md.append("### Lockstep lint: ").append(result.needsApproval() ? "approval needed" : "nothing needs approval")
        .append("\n\n").append(TextReport.counts(result)).append(".\n");
    for (LintedMigration migration : linted.migrations()) {
      Set<String> steps = migration.steps().stream().map(PlannedStep::name).collect(Collectors.toSet());
      md.append("\n#### SchemaMigration `").append(code(migration.name())).append("` (`")
          .append(code(migration.file())).append("`)\n\n");
      plan(md, migration, result);
      List<Finding> findings = result.findings().stream().filter(f -> f.step() != null && steps.contains(f.step())).toList();
      md.append('\n');
      findings(md, "step", findings, linted, migration.name() + "/");
    }
    List<Finding> bare = result.findings().stream().filter(f -> f.step() == null).toList();
    if (!bare.isEmpty() || linted.migrations().isEmpty()) {
      md.append("\n#### Scripts no migration runs\n\n");
      findings(md, "script", bare, linted, "");
    }
    return md.toString();
  }

  private static void plan(StringBuilder md, LintedMigration migration, LintResult result) {
    md.append("| # | step | does | risk | approval |\n|---|---|---|---|---|\n");
    int number = 1;
    for (PlannedStep step : migration.steps()) {
      StepRisk risk = result.steps().stream().filter(s -> s.name().equals(step.name())).findFirst().orElse(null);
      md.append("| ").append(number++).append(" | `").append(code(shortName(step.name(), migration.name() + "/")))
          .append("` | ").append(cell(step.action())).append(" | ")
          .append(risk == null ? "" : riskCell(risk.risk())).append(" | ")
          .append(approvalCell(step, risk)).append(" |\n");
    }
  }

  private static String approvalCell(PlannedStep step, StepRisk risk) {
    if (risk != null && risk.refused()) {
      return "**missing: validation refuses this step**";
    }
    if (step.approvalRequired()) {
      return "required";
    }
    return risk != null && risk.riskAccepted() ? "risk accepted" : "";
  }

  private static void findings(StringBuilder md, String first, List<Finding> findings, LintedInputs linted,
      String stepPrefix) {
    if (findings.isEmpty()) {
      md.append("No findings.\n");
      return;
    }
    md.append("| ").append(first).append(" | statement | risk | lock | blocks | fix |\n|---|---|---|---|---|---|\n");
    for (Finding finding : findings) {
      SourceLocation location = linted.location(finding);
      String where = finding.step() == null
          ? "`" + code(finding.file()) + "`" + (finding.undo() ? " (undo)" : "")
          : "`" + code(shortName(finding.step(), stepPrefix)) + "`" + (finding.undo() ? " (undo)" : "");
      md.append("| ").append(where)
          .append(" | `").append(code(abbreviate(finding.statement()))).append("`<br>")
          .append(cell(finding.file() + ":" + finding.line()))
          .append(location.file().equals(finding.file()) ? "" : cell(" in " + location.file() + ":" + location.line()))
          .append(" | ").append(riskCell(finding.risk()))
          .append(Approval.of(finding, linted.result()) == Approval.MISSING ? ", **needs approval**" : "")
          .append(" | ").append(cell(FindingWords.lock(finding)))
          .append(" | ").append(cell(FindingWords.blocks(finding)) + (finding.rewrite() ? ", rewrites the table" : ""))
          .append(" | ").append(cell(finding.fix())).append(" |\n");
    }
  }

  private static String riskCell(Risk risk) {
    return switch (risk) {
      case HIGH -> "**high**";
      case MODERATE -> "moderate";
      case LOW -> "low";
    };
  }

  private static String shortName(String step, String prefix) {
    return step.startsWith(prefix) ? step.substring(prefix.length()) : step;
  }

  /** Text in a table cell: no line breaks, no column separators, no HTML. */
  static String cell(String text) {
    return text.replaceAll("\\s+", " ").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** Text in a code span inside a table cell. */
  private static String code(String text) {
    return text.replaceAll("\\s+", " ").replace("`", "'").replace("|", "\\|");
  }

  private static String abbreviate(String statement) {
    String oneLine = statement.replaceAll("\\s+", " ");
    return oneLine.length() <= STATEMENT_WIDTH ? oneLine : oneLine.substring(0, STATEMENT_WIDTH - 3) + "...";
  }
}
