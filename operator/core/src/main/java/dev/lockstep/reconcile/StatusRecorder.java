package dev.lockstep.reconcile;

import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.SchemaMigrationStatus;
import dev.lockstep.api.StepHold;
import dev.lockstep.api.StepState;
import dev.lockstep.api.StepStatus;
import dev.lockstep.events.EventRecorder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one place status is finished before it is written: conditions derived from the phase and
 * health (with {@code lastTransitionTime} kept until a condition flips), and one Event for every
 * transition of the phase or of a step.
 */
public final class StatusRecorder {

  private StatusRecorder() {}

  /** The status to write and the Events to emit for it. */
  public record Recording(SchemaMigrationStatus status, List<Transition> transitions) {

    public boolean changes(SchemaMigrationStatus before) {
      return !Objects.equals(
          MigrationJson.tree(before), MigrationJson.tree(status));
    }
  }

  /** One Event's worth of change. */
  public record Transition(EventRecorder.Type type, Reason reason, String message) {}

  public static Recording record(SchemaMigration migration, Decision decision, Instant now) {
    SchemaMigrationStatus before = migration.getStatus();
    SchemaMigrationStatus after = decision.status();
    long generation = migration.getMetadata().getGeneration() == null ? 0 : migration.getMetadata().getGeneration();
    after.setConditions(Conditions.derive(after.getPhase(), decision.health(), after.getRepair(), generation,
        before == null ? null : before.getConditions(), now));
    return new Recording(after, transitions(before, after, decision.health()));
  }

  private static List<Transition> transitions(
      SchemaMigrationStatus before, SchemaMigrationStatus after, Health health) {
    List<Transition> transitions = new ArrayList<>();
    Map<String, StepStatus> previous = new HashMap<>();
    if (before != null && before.getSteps() != null) {
      before.getSteps().forEach(s -> previous.put(s.getName(), s));
    }
    for (StepStatus step : after.getSteps()) {
      StepStatus old = previous.get(step.getName());
      boolean newAttempt = old != null && !Objects.equals(old.getAttempts(), step.getAttempts());
      if (old != null && old.getState() == step.getState() && !newAttempt) {
        continue;
      }
      if (old == null && step.getState() == StepState.Pending) {
        continue;
      }
      if (old != null && newAttempt && !Objects.equals(old.getInterruptions(), step.getInterruptions())) {
        transitions.add(new Transition(EventRecorder.Type.Warning, Reason.BackfillInterrupted,
            step.getMessage() == null ? "step " + step.getName() + " was interrupted" : step.getMessage()));
      }
      transitions.add(stepTransition(step));
    }
    for (StepStatus step : after.getSteps()) {
      transitions.addAll(newHolds(previous.get(step.getName()), step));
    }
    Phase was = before == null ? null : before.getPhase();
    if (was != after.getPhase()) {
      EventRecorder.Type type = after.getPhase() == Phase.Failed || after.getPhase() == Phase.RolledBack
              || after.getPhase() == Phase.RollingBack
          ? EventRecorder.Type.Warning
          : EventRecorder.Type.Normal;
      transitions.add(new Transition(type, Reason.enteredPhase(after.getPhase()), health.message()));
    }
    return transitions;
  }

  /** One Event per hold the step did not have before: a new gate or subject, not every look. */
  private static List<Transition> newHolds(StepStatus old, StepStatus step) {
    if (step.getWaitingFor() == null) {
      return List.of();
    }
    List<Transition> transitions = new ArrayList<>();
    for (StepHold hold : step.getWaitingFor()) {
      if (old == null || !StepHolds.held(old.getWaitingFor(), hold)) {
        transitions.add(new Transition(EventRecorder.Type.Normal, Reason.StepWaiting,
            "step " + step.getName() + " waits at the " + hold.getGate() + " gate: " + hold.getMessage()));
      }
    }
    return transitions;
  }

  private static Transition stepTransition(StepStatus step) {
    EventRecorder.Type type = switch (step.getState()) {
      case Failed, RollingBack, UndoFailed -> EventRecorder.Type.Warning;
      case Pending, Running, Succeeded, RolledBack -> EventRecorder.Type.Normal;
    };
    String message = "step " + step.getName();
    if (step.getState() == StepState.Running && step.getAttempts() != null) {
      message += " started, attempt " + step.getAttempts();
    } else if (step.getMessage() != null) {
      message += ": " + step.getMessage();
    }
    return new Transition(type, Reason.enteredStepState(step.getState()), message);
  }
}
