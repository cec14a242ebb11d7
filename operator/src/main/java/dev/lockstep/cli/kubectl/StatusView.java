package dev.lockstep.cli.kubectl;

import dev.lockstep.api.Annotations;
import dev.lockstep.api.Approval;
import dev.lockstep.api.FlagChange;
import dev.lockstep.api.FlagStatus;
import dev.lockstep.api.Phase;
import dev.lockstep.api.RiskFinding;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.SchemaMigrationStatus;
import dev.lockstep.api.Step;
import dev.lockstep.api.StepKind;
import dev.lockstep.api.StepState;
import dev.lockstep.api.StepStatus;
import dev.lockstep.api.WaitStep;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code kubectl lockstep status}: one migration as a tree of its steps, in the spirit of
 * {@code kubectl argo rollouts get rollout}. Pure: the same resource and time give the same text.
 */
final class StatusView {

  private static final String BRANCH = "├──";
  private static final String LAST = "└──";
  private static final String PIPE = "│    ";
  private static final String SPACE = "     ";

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
    if (status.getRollbackReason() != null) {
      field(text, "Rollback", status.getRollbackReason());
    }
    if (status.getGuardBreachSince() != null) {
      field(text, "Guard", "out of bounds since " + status.getGuardBreachSince());
    }
    String generation = generation(migration, status);
    if (generation != null) {
      field(text, "Generation", generation);
    }
    steps(text, migration, specSteps, status, now);
    flags(text, status.getFlags());
    risk(text, status);
    conditions(text, status.getConditions());
    return text.toString();
  }

  private static void steps(StringBuilder text, SchemaMigration migration, List<Step> specSteps,
      SchemaMigrationStatus status, Instant now) {
    text.append("\nSteps\n");
    if (specSteps.isEmpty()) {
      text.append("  (none)\n");
      return;
    }
    int nameWidth = specSteps.stream().mapToInt(s -> s.getName().length()).max().orElse(0);
    for (int i = 0; i < specSteps.size(); i++) {
      Step step = specSteps.get(i);
      StepStatus state = statusOf(status, step.getName());
      boolean last = i == specSteps.size() - 1;
      StepState stepState = state == null || state.getState() == null ? StepState.Pending : state.getState();
      text.append(last ? LAST : BRANCH).append(symbol(stepState)).append(' ')
          .append(pad(step.getName(), nameWidth)).append("  ")
          .append(pad(stepState.name(), 11)).append(' ')
          .append(leftPad(timing(state, now), 6)).append("  ")
          .append(kind(step));
      List<String> notes = notes(migration, step, state, status);
      if (!notes.isEmpty()) {
        text.append("  (").append(String.join(", ", notes)).append(')');
      }
      text.append('\n');
      String indent = last ? SPACE : PIPE;
      for (String detail : details(step, state, now)) {
        text.append(indent).append(detail).append('\n');
      }
    }
  }

  private static List<String> notes(SchemaMigration migration, Step step, StepStatus state,
      SchemaMigrationStatus status) {
    List<String> notes = new ArrayList<>();
    if (state != null && state.getAttempts() != null) {
      notes.add("attempt " + state.getAttempts());
    }
    if (step.getApproval() == Approval.REQUIRED) {
      boolean waiting = status.getPhase() == Phase.WaitingForApproval && step.getName().equals(status.getCurrentStep());
      notes.add(approved(migration, step.getName()) ? "approved" : waiting ? "waits for approval" : "needs approval");
    }
    return notes;
  }

  private static List<String> details(Step step, StepStatus state, Instant now) {
    List<String> details = new ArrayList<>();
    if (step.getFlags() != null) {
      for (FlagChange change : step.getFlags()) {
        details.add("sets " + change.getFlag() + " = " + change.getVariant()
            + (change.getPercent() == null ? "" : " for " + change.getPercent() + "%"));
      }
    }
    if (state == null) {
      return details;
    }
    if (state.getJob() != null) {
      details.add("Job: " + state.getJob());
    }
    if (state.getUndoJob() != null) {
      details.add("undo Job: " + state.getUndoJob());
    }
    if (state.getVersionBefore() != null || state.getVersionAfter() != null) {
      String versions = "schema: " + orDash(state.getVersionBefore()) + " → " + orDash(state.getVersionAfter());
      if (state.getLockRetries() != null && state.getLockRetries() > 0) {
        versions += ", " + state.getLockRetries() + " lock retr" + (state.getLockRetries() == 1 ? "y" : "ies");
        if (state.getLockWaitMillis() != null) {
          versions += String.format(Locale.ROOT, " (%.1fs lost to lock waits)", state.getLockWaitMillis() / 1000.0);
        }
      }
      details.add(versions);
    }
    if (state.getProgress() != null) {
      details.add("progress: " + state.getProgress());
    }
    if (state.getState() == StepState.Running && step.getWaitFor() != null) {
      details.add("waits for: " + String.join(", ", Hold.conditions(step.getWaitFor(), state, now)));
    }
    if (state.getMessage() != null) {
      details.add("message: " + state.getMessage());
    }
    return details;
  }

  /** How long the step took, or has taken so far. */
  private static String timing(StepStatus state, Instant now) {
    if (state == null || state.getStartedAt() == null) {
      return "";
    }
    Instant started = Instant.parse(state.getStartedAt());
    boolean finished = state.getFinishedAt() != null && state.getState() != StepState.Running;
    Instant end = finished ? Instant.parse(state.getFinishedAt()) : now;
    return HumanDuration.of(Duration.between(started, end));
  }

  private static String kind(Step step) {
    StepKind kind = StepKind.of(step);
    if (kind == null) {
      return "(no kind)";
    }
    return switch (kind) {
      case MIGRATE -> "migrate to " + step.getMigrate().getTo();
      case BACKFILL -> "backfill " + step.getBackfill().getTable();
      case FLAGS -> "flags";
      case WAIT -> "wait " + waitSummary(step.getWaitFor());
    };
  }

  private static String waitSummary(WaitStep wait) {
    List<String> parts = new ArrayList<>();
    if (Boolean.TRUE.equals(wait.getPodsReady())) {
      parts.add("pods ready");
    }
    if (wait.getCompatible() != null) {
      parts.add("compatible " + wait.getCompatible());
    }
    if (wait.getDuration() != null) {
      parts.add(wait.getDuration());
    }
    if (wait.getPrometheus() != null) {
      parts.add("prometheus");
    }
    return String.join(", ", parts);
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

  static String symbol(StepState state) {
    return switch (state) {
      case Pending -> "○";
      case Running -> "⟳";
      case Succeeded -> "✔";
      case Failed, UndoFailed -> "✖";
      case RollingBack -> "↺";
      case RolledBack -> "↩";
    };
  }

  private static boolean approved(SchemaMigration migration, String step) {
    Map<String, String> annotations = migration.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(Annotations.APPROVE);
    return value != null && Arrays.stream(value.split(",")).map(String::trim).anyMatch(step::equals);
  }

  private static StepStatus statusOf(SchemaMigrationStatus status, String name) {
    if (status.getSteps() == null) {
      return null;
    }
    return status.getSteps().stream().filter(s -> name.equals(s.getName())).findFirst().orElse(null);
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

  private static String leftPad(String value, int width) {
    return value.length() >= width ? value : " ".repeat(width - value.length()) + value;
  }
}
