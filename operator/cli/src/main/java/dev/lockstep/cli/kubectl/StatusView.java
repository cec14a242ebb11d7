package dev.lockstep.cli.kubectl;

import dev.lockstep.api.FlagStatus;
import dev.lockstep.api.Phase;
import dev.lockstep.api.RiskFinding;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.SchemaMigrationStatus;
import dev.lockstep.api.Step;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code kubectl lockstep status}: one migration as a tree of its steps, in the spirit of
 * {@code kubectl argo rollouts get rollout}: the migration's fields, what holds it ({@link Hold}), the
 * steps ({@link StepTree}), flags, risk findings and conditions. Pure: the same resource and time give
 * the same text.
 */
final class StatusView {

  private StatusView() {}

  static String render(SchemaMigration migration, Instant now) {
    SchemaMigrationStatus status = migration.getStatus() == null ? new SchemaMigrationStatus() : migration.getStatus();
    List<Step> specSteps = migration.getSpec() == null || migration.getSpec().getSteps() == null
        ? List.of() : migration.getSpec().getSteps();
    StringBuilder text = new StringBuilder();
    field(text, "Name", migration.getMetadata().getName());
    field(text, "Namespace", migration.getMetadata().getNamespace());
    field(text, "Phase", status.getPhase() == null ? "○ not started (no status yet)"
        : symbol(status.getPhase()) + " " + status.getPhase());
    if (status.getCurrentStep() != null) {
      int index = indexOf(specSteps, status.getCurrentStep());
      field(text, "Step", status.getCurrentStep() + (index < 0 ? "" : " (" + (index + 1) + " of " + specSteps.size() + ")"));
    }
    field(text, "Schema", status.getSchemaVersion() == null ? "version unknown (no migrate step ran yet)"
        : "version " + status.getSchemaVersion());
    if (status.getRisk() != null && status.getRisk().getLevel() != null) {
      int findings = status.getRisk().getFindings() == null ? 0 : status.getRisk().getFindings().size();
      field(text, "Risk", status.getRisk().getLevel() + " (" + findings + " finding" + (findings == 1 ? "" : "s") + ")");
    }
    if (migration.getMetadata().getCreationTimestamp() != null) {
      field(text, "Age", HumanDuration.of(Duration.between(Instant.parse(migration.getMetadata().getCreationTimestamp()), now)));
    }
    if (status.getMessage() != null) {
      field(text, "Message", status.getMessage());
    }
    Hold hold = Hold.of(migration, now);
    if (hold.kind() != Hold.Kind.NOTHING) {
      field(text, "Waiting for", hold.what());
    }
    if (status.getRepair() != null) {
      var repair = status.getRepair();
      field(text, "Repair", repair.getStartedAt() != null
          ? "running (Job " + repair.getJob() + ")"
          : "needed (" + repair.getReason() + "): kubectl lockstep repair " + migration.getMetadata().getName()
              + (repair.getMessage() == null ? "" : "; the last repair failed: " + repair.getMessage()));
    }
    if (status.getRollbackReason() != null) {
      field(text, "Rollback", status.getRollbackReason());
    }
    if (status.getGuardBreachSince() != null) {
      field(text, "Guard", "out of bounds since " + status.getGuardBreachSince());
    }
    if (status.getGuardBreachChecks() != null) {
      field(text, "Guard", "looks breached on " + status.getGuardBreachChecks() + " consecutive check"
          + (status.getGuardBreachChecks() == 1 ? "" : "s") + " since " + status.getGuardBreachFirstSeen()
          + " (a rollback needs 3 over at least 4s)");
    }
    String generation = generation(migration, status);
    if (generation != null) {
      field(text, "Generation", generation);
    }
    StepTree.render(text, migration, specSteps, status, now);
    flags(text, status.getFlags());
    risk(text, status);
    conditions(text, status.getConditions());
    return text.toString();
  }

  private static void flags(StringBuilder text, Map<String, FlagStatus> flags) {
    if (flags == null || flags.isEmpty()) {
      return;
    }
    text.append("\nFlags\n");
    int width = flags.keySet().stream().mapToInt(String::length).max().orElse(0);
    flags.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
      FlagStatus flag = entry.getValue();
      text.append("  ").append(pad(entry.getKey(), width)).append("  serves ").append(orDash(flag.getVariant()));
      text.append(flag.getPercent() == null || flag.getPercent() == 100 ? " to all" : " to " + flag.getPercent() + "%");
      if (flag.getPrevious() != null) {
        text.append(" (was ").append(flag.getPrevious()).append(')');
      }
      if (flag.getObservedShare() != null) {
        text.append(", observed ").append(String.format(Locale.ROOT, "%.1f%%", flag.getObservedShare() * 100));
      }
      if (Boolean.TRUE.equals(flag.getRemovableFromCode())) {
        text.append(", removable from code");
      }
      text.append('\n');
    });
  }

  private static void risk(StringBuilder text, SchemaMigrationStatus status) {
    if (status.getRisk() == null || status.getRisk().getFindings() == null || status.getRisk().getFindings().isEmpty()) {
      return;
    }
    text.append("\nRisk findings\n");
    for (RiskFinding finding : status.getRisk().getFindings()) {
      text.append("  ").append(pad(orDash(finding.getRisk()), 10)).append(finding.getScript());
      if (finding.getLine() != null) {
        text.append(':').append(finding.getLine());
      }
      text.append("  ").append(finding.getRule());
      if (finding.getStep() != null) {
        text.append(" (step ").append(finding.getStep()).append(')');
      }
      if (finding.getLock() != null) {
        text.append(", lock ").append(finding.getLock());
      }
      text.append('\n');
    }
  }

  private static void conditions(StringBuilder text, List<Condition> conditions) {
    if (conditions == null || conditions.isEmpty()) {
      return;
    }
    text.append("\nConditions\n");
    for (Condition condition : conditions) {
      text.append("  ").append(pad(condition.getType(), 12)).append(pad(condition.getStatus(), 7))
          .append(orDash(condition.getReason())).append('\n');
    }
  }

  private static String generation(SchemaMigration migration, SchemaMigrationStatus status) {
    Long generation = migration.getMetadata().getGeneration();
    Long observed = status.getObservedGeneration();
    if (generation == null || observed == null || observed >= generation) {
      return null;
    }
    return generation + ", status describes " + observed + " (the operator has not seen the latest spec yet)";
  }

  static String symbol(Phase phase) {
    return switch (phase) {
      case Pending, Queued, Validating -> "○";
      case Progressing -> "⟳";
      case WaitingForApproval, Paused -> "॥";
      case RollingBack -> "↺";
      case Succeeded -> "✔";
      case RolledBack -> "↩";
      case Failed -> "✖";
    };
  }

  private static int indexOf(List<Step> steps, String name) {
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).getName().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private static void field(StringBuilder text, String label, String value) {
    text.append(pad(label + ":", 13)).append(value == null ? "-" : value).append('\n');
  }

  private static String orDash(String value) {
    return value == null ? "-" : value;
  }

  static String pad(String value, int width) {
    String text = value == null ? "-" : value;
    return text.length() >= width ? text : text + " ".repeat(width - text.length());
  }
}
