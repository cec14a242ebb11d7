package dev.lockstep.rehearse;

import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.StepStatus;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Prints each change of a migration's phase or steps as it happens, with the time since start. */
final class Timeline {

  private final PrintStream out;
  private final Instant start;
  private final Map<String, String> phases = new HashMap<>();
  private final Map<String, String> steps = new HashMap<>();

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
        }
      }
      String phase = status.getPhase().name();
      if (!Objects.equals(phases.put(id, phase), phase)) {
        line(now, id, phase + (status.getMessage() == null ? "" : ": " + status.getMessage()));
      }
    }
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
