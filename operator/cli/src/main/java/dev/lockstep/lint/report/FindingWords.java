package dev.lockstep.lint.report;

import dev.lockstep.lint.Finding;
import dev.lockstep.lint.rules.Blocked;
import java.util.stream.Collectors;

/** The phrases every report uses for a finding, so that they say the same thing in the same words. */
final class FindingWords {

  private FindingWords() {}

  /** {@code ACCESS EXCLUSIVE on orders}, or {@code none}. */
  static String lock(Finding finding) {
    if (finding.lock() == null) {
      return "none";
    }
    return finding.lock().sqlName() + (finding.table() == null ? "" : " on " + finding.table());
  }

  /** {@code reads and writes}, {@code writes}, or {@code nothing}. */
  static String blocks(Finding finding) {
    return finding.blocks().isEmpty() ? "nothing"
        : finding.blocks().stream().sorted().map(Blocked::label).collect(Collectors.joining(" and "));
  }

  /** Where the finding is judged: {@code step contract}, {@code step contract, undo}, or a bare script. */
  static String context(Finding finding) {
    if (finding.step() == null) {
      return finding.undo() ? "undo script no migration runs" : "script no migration runs";
    }
    return "step " + finding.step() + (finding.undo() ? ", undo" : "");
  }

  /** What the approval situation is, in words, or null when the finding needs none. */
  static String approval(Approval approval) {
    return switch (approval) {
      case NOT_NEEDED -> null;
      case REQUIRED -> "needs approval: the step has approval: required";
      case RISK_ACCEPTED -> "needs approval: accepted by lockstep.dev/accept-risk";
      case MISSING -> "needs approval, and nothing is set up to give it";
    };
  }

  /** One line: what is wrong, the lock and what it blocks, where, and the fix. */
  static String message(Finding finding, Approval approval) {
    StringBuilder text = new StringBuilder();
    text.append(finding.risk().label()).append(" risk (").append(finding.rule().id()).append(", ")
        .append(context(finding)).append("): ").append(finding.reason())
        .append(" Lock: ").append(lock(finding)).append(", blocks ").append(blocks(finding))
        .append(finding.rewrite() ? ", rewrites the table" : "").append('.');
    String words = approval(approval);
    if (words != null) {
      text.append(' ').append(Character.toUpperCase(words.charAt(0))).append(words.substring(1)).append('.');
    }
    text.append(" Fix: ").append(finding.fix());
    return text.toString();
  }
}
