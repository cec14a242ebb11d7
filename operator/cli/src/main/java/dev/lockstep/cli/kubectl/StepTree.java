package dev.lockstep.cli.kubectl;

import dev.lockstep.cli.steps.StepKind;
import dev.lockstep.api.Annotations;
import dev.lockstep.api.Approval;
import dev.lockstep.api.FlagChange;
import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.SchemaMigrationStatus;
import dev.lockstep.api.Step;
import dev.lockstep.api.StepState;
import dev.lockstep.api.StepStatus;
import dev.lockstep.api.WaitStep;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The steps section of {@link StatusView}: one branch per step (symbol, name, state, time taken,
 * kind, attempt, approval), then its details (Job, schema versions, progress, what a running wait
 * waits for, message) indented under it.
 */
final class StepTree {

  private static final String BRANCH = "├──";
  private static final String LAST = "└──";
  private static final String PIPE = "│    ";
  private static final String SPACE = "     ";

  private StepTree() {}

  static void render(StringBuilder text, SchemaMigration migration, List<Step> specSteps,
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
          .append(StatusView.pad(step.getName(), nameWidth)).append("  ")
          .append(StatusView.pad(stepState.name(), 11)).append(' ')
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

  private static String orDash(String value) {
    return value == null ? "-" : value;
  }

  private static String leftPad(String value, int width) {
    return value.length() >= width ? value : " ".repeat(width - value.length()) + value;
  }
}
