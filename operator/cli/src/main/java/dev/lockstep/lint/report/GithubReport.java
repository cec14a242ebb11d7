package dev.lockstep.lint.report;

import dev.lockstep.lint.Finding;
import dev.lockstep.lint.LintResult;
import dev.lockstep.lint.input.LintedInputs;
import dev.lockstep.lint.input.SourceLocation;

/**
 * The report as GitHub Actions workflow commands: one annotation per finding, on the line of the file a
 * reviewer sees ({@code ::error file=..,line=..,title=..::message}), then the summary as plain text. A
 * finding nothing is set up to approve is an error; other high and moderate findings are warnings; low
 * ones, and those in undo scripts (what a rollback would do), notices.
 */
public final class GithubReport {

  private GithubReport() {}

  public static String render(LintedInputs linted) {
    LintResult result = linted.result();
    StringBuilder out = new StringBuilder();
    for (Finding finding : result.findings()) {
      Approval approval = Approval.of(finding, result);
      SourceLocation location = linted.location(finding);
      out.append("::").append(command(finding, approval))
          .append(" file=").append(property(location.file()))
          .append(",line=").append(Math.max(1, location.line()))
          .append(",title=").append(property("lockstep: " + finding.rule().id() + " (" + finding.risk().label() + ")"))
          .append("::").append(data(FindingWords.message(finding, approval)))
          .append('\n');
    }
    out.append(TextReport.summary(result)).append('\n');
    return out.toString();
  }

  private static String command(Finding finding, Approval approval) {
    if (approval == Approval.MISSING) {
      return "error";
    }
    if (finding.undo()) {
      return "notice"; // what a rollback would do: worth knowing, nothing to approve
    }
    return switch (finding.risk()) {
      case HIGH, MODERATE -> "warning";
      case LOW -> "notice";
    };
  }

  /** A command's message: GitHub reads %, CR and LF as escapes. */
  static String data(String text) {
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
  }

  /** A command's property value: also : and , end it. */
  static String property(String text) {
    return data(text).replace(":", "%3A").replace(",", "%2C");
  }
}
