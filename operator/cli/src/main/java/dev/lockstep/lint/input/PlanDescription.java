package dev.lockstep.lint.input;

import dev.lockstep.api.FlagChange;
import dev.lockstep.api.Step;
import dev.lockstep.api.WaitStep;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** What a step does, in a few words, for the plan in lint reports. */
final class PlanDescription {

  private PlanDescription() {}

  static String of(Step step) {
    var fields = step.kindFields().keySet();
    if (fields.size() != 1) {
      return "(no single kind: validation refuses it)";
    }
    String field = fields.iterator().next();
    return switch (field) {
      case "migrate" -> "migrate to " + step.getMigrate().getTo();
      case "backfill" -> "backfill " + step.getBackfill().getTable() + " set " + step.getBackfill().getSet();
      case "flags" -> "flags " + step.getFlags().stream().map(PlanDescription::flag).collect(Collectors.joining(", "));
      case "wait" -> "wait " + waitFor(step.getWaitFor());
      default -> field + " (a step kind this tool does not describe)";
    };
  }

  private static String flag(FlagChange change) {
    return change.getFlag() + " → " + change.getVariant()
        + (change.getPercent() == null ? "" : " (" + change.getPercent() + "%)");
  }

  private static String waitFor(WaitStep wait) {
    List<String> conditions = new ArrayList<>();
    if (Boolean.TRUE.equals(wait.getPodsReady())) {
      conditions.add("pods ready");
    }
    if (wait.getCompatible() != null) {
      conditions.add("pods compatible with " + wait.getCompatible());
    }
    if (wait.getDuration() != null) {
      conditions.add(wait.getDuration());
    }
    if (wait.getPrometheus() != null) {
      conditions.add("Prometheus query");
    }
    return String.join(", ", conditions);
  }
}
