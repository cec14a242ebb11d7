package dev.lockstep.cli.kubectl;

import dev.lockstep.cli.steps.StepKind;
import dev.lockstep.api.FlagChange;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.Step;
import dev.lockstep.lint.Finding;
import dev.lockstep.lint.StepRisk;
import dev.lockstep.lint.plan.StepScripts;
import dev.lockstep.lint.rules.Blocked;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** {@code kubectl lockstep plan}: per migration, a table of its steps, then the findings behind the risk. */
final class PlanView {

  private PlanView() {}

  static String render(List<MigrationPlans.Planned> plans) {
    StringBuilder text = new StringBuilder();
    for (MigrationPlans.Planned planned : plans) {
      if (text.length() > 0) {
        text.append('\n');
      }
      SchemaMigration m = planned.migration();
      String database = m.getSpec() == null || m.getSpec().getDatabase() == null ? "-" : m.getSpec().getDatabase().getName();
      text.append("SchemaMigration ").append(m.getMetadata().getNamespace()).append('/').append(m.getMetadata().getName())
          .append(" (database ").append(database).append(", scripts from ").append(planned.source()).append(")\n");
      List<List<String>> rows = new ArrayList<>();
      rows.add(List.of("STEP", "KIND", "RISK", "APPROVAL", "DOES"));
      List<Step> steps = m.getSpec() == null || m.getSpec().getSteps() == null ? List.of() : m.getSpec().getSteps();
      for (int i = 0; i < steps.size(); i++) {
        Step step = steps.get(i);
        StepRisk risk = riskOf(planned, step.getName());
        StepScripts scripts = planned.plan().steps().get(i);
        StepKind kind = StepKind.of(step);
        rows.add(List.of(step.getName(), kind == null ? "-" : kind.field(),
            kind == StepKind.MIGRATE && risk != null ? risk.risk().label() : "-",
            approval(step, risk), does(step, kind, scripts)));
      }
      table(text, rows);
      firstMigrateNote(text, steps, planned);
      if (!planned.plan().unassigned().isEmpty()) {
        text.append("  scripts no step runs: ").append(String.join(", ", planned.plan().unassigned())).append('\n');
      }
      findings(text, planned.risk().findings());
    }
    return text.toString();
  }

  /**
   * The first migrate step is given every version up to its target, since which of them the
   * database already has is known only when it runs; say so where that is more than one script.
   */
  private static void firstMigrateNote(StringBuilder text, List<Step> steps, MigrationPlans.Planned planned) {
    for (int i = 0; i < steps.size(); i++) {
      if (StepKind.of(steps.get(i)) == StepKind.MIGRATE) {
        if (planned.plan().steps().get(i).forward().size() > 1) {
          text.append("  step ").append(steps.get(i).getName()).append(" lists every version up to its target;"
              + " those the database already has are skipped when it runs\n");
        }
        return;
      }
    }
  }

  private static String approval(Step step, StepRisk risk) {
    if (risk != null && risk.refused()) {
      return "refused: high risk needs approval";
    }
    if (step.getApproval() == dev.lockstep.api.Approval.REQUIRED) {
      return "required";
    }
    return risk != null && risk.riskAccepted() ? "risk accepted" : "-";
  }

  private static String does(Step step, StepKind kind, StepScripts scripts) {
    if (kind == null) {
      return "(no kind: set exactly one of migrate, backfill, flags, wait)";
    }
    return switch (kind) {
      case MIGRATE -> "to " + step.getMigrate().getTo() + ": "
          + (scripts.forward().isEmpty() ? "no script" : String.join(", ", scripts.forward()))
          + (scripts.forward().isEmpty() ? "" : scripts.undo().isEmpty() ? "; no undo (point of no return)"
              : "; undo " + String.join(", ", scripts.undo()));
      case BACKFILL -> "UPDATE " + step.getBackfill().getTable() + " SET " + step.getBackfill().getSet()
          + (step.getBackfill().getWhere() == null ? "" : " WHERE " + step.getBackfill().getWhere())
          + ", " + step.getBackfill().getBatchSize() + " rows a batch"
          + (step.getBackfill().getUndo() == null ? "; no undo" : "");
      case FLAGS -> step.getFlags().stream().map(PlanView::flag).collect(Collectors.joining(", "));
      case WAIT -> String.join(", ", Hold.conditions(step.getWaitFor(), null, null));
    };
  }

  private static String flag(FlagChange change) {
    return change.getFlag() + " = " + change.getVariant() + (change.getPercent() == null ? "" : " for " + change.getPercent() + "%");
  }

  private static void findings(StringBuilder text, List<Finding> findings) {
    if (findings.isEmpty()) {
      text.append("  no risk found in the scripts\n");
      return;
    }
    text.append("  findings:\n");
    for (Finding finding : findings) {
      text.append("    ").append(finding.risk().label()).append("  ").append(finding.file()).append(':')
          .append(finding.line()).append("  ").append(finding.rule().id());
      if (finding.step() != null) {
        text.append(" (step ").append(finding.step()).append(finding.undo() ? ", undo" : "").append(')');
      } else if (finding.undo()) {
        text.append(" (undo)");
      }
      text.append('\n');
      if (finding.lock() != null) {
        text.append("          lock: ").append(finding.lock().sqlName())
            .append(finding.table() == null ? "" : " on " + finding.table())
            .append(", blocks ").append(finding.blocks().isEmpty() ? "nothing"
                : finding.blocks().stream().sorted().map(Blocked::label).collect(Collectors.joining(" and ")))
            .append('\n');
      }
      text.append("          why: ").append(finding.reason()).append('\n');
      text.append("          fix: ").append(finding.fix()).append('\n');
    }
  }

  private static StepRisk riskOf(MigrationPlans.Planned planned, String step) {
    return planned.risk().steps().stream().filter(s -> s.name().equals(step)).findFirst().orElse(null);
  }

  private static void table(StringBuilder text, List<List<String>> rows) {
    int columns = rows.get(0).size();
    int[] widths = new int[columns];
    for (List<String> row : rows) {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder("  ");
      for (int i = 0; i < columns; i++) {
        line.append(i == columns - 1 ? row.get(i) : StatusView.pad(row.get(i), widths[i] + 2));
      }
      text.append(line.toString().stripTrailing()).append('\n');
    }
  }
}
