package dev.lockstep.rehearse;


import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.Step;
import dev.lockstep.cli.steps.StepKind;
import dev.lockstep.api.StepState;
import dev.lockstep.api.StepStatus;
import dev.lockstep.rehearse.traffic.Segment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Follows the migrations as the rehearsal polls them: where the rollout is now (for the traffic's
 * figures) and the bands of steps, undos and phases (for the report).
 */
final class RolloutTrack {

  private final Instant start;
  private volatile Segment current = Segment.BEFORE;
  private final List<Band> closed = new ArrayList<>();
  private final Map<String, Open> open = new LinkedHashMap<>();

  /** A band not ended yet. */
  private record Open(String migration, String label, String kind, double startSeconds) {}

  RolloutTrack(Instant start) {
    this.start = start;
  }

  /** Where the rollout is: read by the traffic when each request is due. */
  Segment current() {
    return current;
  }

  synchronized void observe(List<SchemaMigration> migrations, Instant now) {
    double at = seconds(now);
    Map<String, Open> seen = new LinkedHashMap<>();
    Map<String, String> states = new LinkedHashMap<>();
    for (SchemaMigration m : migrations) {
      String id = m.getMetadata().getNamespace() + "/" + m.getMetadata().getName();
      if (m.getStatus() == null || m.getStatus().getPhase() == null) {
        continue;
      }
      Phase phase = m.getStatus().getPhase();
      seen.put(id + "#phase", new Open(id, phase.name(), Band.PHASE, at));
      states.put(id + "#phase", phase.name());
      for (StepStatus step : m.getStatus().getSteps() == null ? List.<StepStatus>of() : m.getStatus().getSteps()) {
        if (step.getState() == StepState.Running || step.getState() == StepState.RollingBack) {
          boolean undo = step.getState() == StepState.RollingBack;
          String label = undo ? "undo " + step.getName() : step.getName();
          seen.put(id + "#" + label, new Open(id, label, kind(m, step.getName()), at));
        }
        states.put(id + "#" + step.getName(), step.getState() == null ? "" : step.getState().name());
        states.put(id + "#undo " + step.getName(), step.getState() == null ? "" : step.getState().name());
      }
    }
    // A band ends when what it stands for is no longer there (another phase, the step done).
    for (var it = open.entrySet().iterator(); it.hasNext(); ) {
      var entry = it.next();
      Open band = entry.getValue();
      Open still = seen.get(entry.getKey());
      if (still == null || !Objects.equals(still.label(), band.label())) {
        closed.add(new Band(band.migration(), band.label(), band.kind(), endState(entry.getKey(), band, states),
            band.startSeconds(), at));
        it.remove();
      }
    }
    seen.forEach(open::putIfAbsent);
    current = position(migrations);
  }

  /** Every band, those still open ending {@code now}. */
  synchronized List<Band> bands(Instant now) {
    List<Band> all = new ArrayList<>(closed);
    double at = seconds(now);
    open.values().forEach(b -> all.add(new Band(b.migration(), b.label(), b.kind(), b.kind().equals(Band.PHASE) ? b.label() : "Running", b.startSeconds(), at)));
    all.sort((a, b) -> Double.compare(a.startSeconds(), b.startSeconds()));
    return all;
  }

  private static String endState(String key, Open band, Map<String, String> states) {
    if (band.kind().equals(Band.PHASE)) {
      return band.label();
    }
    String state = states.get(key.substring(0, key.indexOf('#') + 1) + band.label());
    return state == null ? "" : state;
  }

  private double seconds(Instant now) {
    return Duration.between(start, now).toMillis() / 1000.0;
  }

  /**
   * Which migration, phase and step the rollout is at: a step running (or being undone) if there is
   * one, else the first migration that has not ended, in the phase it waits in.
   */
  static Segment position(List<SchemaMigration> migrations) {
    boolean anyStatus = false;
    boolean allFinished = true;
    Segment waiting = null;
    for (SchemaMigration m : migrations) {
      if (m.getStatus() == null || m.getStatus().getPhase() == null) {
        allFinished = false;
        continue;
      }
      anyStatus = true;
      Phase phase = m.getStatus().getPhase();
      if (phase.isTerminal()) {
        continue;
      }
      allFinished = false;
      String id = m.getMetadata().getNamespace() + "/" + m.getMetadata().getName();
      for (StepStatus step : m.getStatus().getSteps() == null ? List.<StepStatus>of() : m.getStatus().getSteps()) {
        if (step.getState() == StepState.Running || step.getState() == StepState.RollingBack) {
          return new Segment(id, phase.name(), step.getName(), step.getState() == StepState.RollingBack);
        }
      }
      if (waiting == null) {
        waiting = new Segment(id, phase.name(), null, false);
      }
    }
    if (anyStatus && allFinished) {
      return Segment.AFTER;
    }
    return waiting == null ? Segment.BEFORE : waiting;
  }

  private static String kind(SchemaMigration m, String stepName) {
    for (Step step : m.getSpec().getSteps()) {
      if (step.getName().equals(stepName)) {
        StepKind kind = StepKind.of(step);
        return kind == null ? "step" : kind.field();
      }
    }
    return "step";
  }
}
