package dev.lockstep.rehearse;

import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.StepHold;
import dev.lockstep.api.StepStatus;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Prints each change of a migration's phase or steps as it happens, with the time since start. */
final class Timeline {

  private final PrintStream out;
  private final Instant start;
  private final Map<String, String> phases = new HashMap<>();
  private final Map<String, String> steps = new HashMap<>();
  private final Map<String, Map<String, StepHold>> held = new HashMap<>();

  Timeline(PrintStream out, Instant start) {
    this.out = out;
    this.start = start;
  }

  /** Prints what changed since the last look at these migrations. */
  void observe(List<SchemaMigration> migrations, Instant now) {
    for (SchemaMigration m : migrations) {
      String id = m.getMetadata().getNamespace() + "/" + m.getMetadata().getName();
      var status = m.getStatus();
      if (status == null || status.getPhase() == null) {
        continue;
      }
      if (status.getSteps() != null) {
        for (StepStatus step : status.getSteps()) {
          String key = id + "#" + step.getName();
          String state = step.getState() + "/" + step.getAttempts();
          if (!Objects.equals(steps.put(key, state), state) && step.getState() != null
              && !"Pending".equals(step.getState().name())) {
            line(now, id, "step " + step.getName() + " " + step.getState()
                + (step.getMessage() == null ? "" : ": " + step.getMessage()));
          }
          holds(now, id, key, step);
        }
      }
      String phase = status.getPhase().name();
      if (!Objects.equals(phases.put(id, phase), phase)) {
        line(now, id, phase + (status.getMessage() == null ? "" : ": " + status.getMessage()));
      }
    }
  }

  /** One line when a step starts to wait at a gate, and when that gate lets it go: not every look. */
  private void holds(Instant now, String id, String key, StepStatus step) {
    Map<String, StepHold> current = new LinkedHashMap<>();
    if (step.getWaitingFor() != null) {
      step.getWaitingFor().forEach(h -> current.put(h.getGate() + " " + h.getSubject(), h));
    }
    Map<String, StepHold> before = held.getOrDefault(key, Map.of());
    current.forEach((hold, what) -> {
      if (!before.containsKey(hold)) {
        line(now, id, "step " + step.getName() + " waits at the " + what.getGate() + " gate: " + what.getMessage());
      }
    });
    before.forEach((hold, what) -> {
      if (!current.containsKey(hold)) {
        line(now, id, "step " + step.getName() + " passed the " + what.getGate() + " gate (" + what.getSubject()
            + ") after " + waited(what, now));
      }
    });
    held.put(key, current);
  }

  private static String waited(StepHold hold, Instant now) {
    if (hold.getSince() == null) {
      return "a while";
    }
    Duration waited = Duration.between(Instant.parse(hold.getSince()), now);
    return String.format(java.util.Locale.ROOT, "%.1fs", Math.max(0, waited.toMillis()) / 1000.0);
  }

  void note(Instant now, String id, String text) {
    line(now, id, text);
  }

  private void line(Instant now, String id, String text) {
    Duration since = Duration.between(start, now);
    out.printf("[%6.1fs] %-32s %s%n", since.toMillis() / 1000.0, id, text);
    out.flush();
  }
}
