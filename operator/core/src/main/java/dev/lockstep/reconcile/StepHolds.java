package dev.lockstep.reconcile;

import dev.lockstep.api.Durations;
import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigrationStatus;
import dev.lockstep.api.StepHold;
import dev.lockstep.api.StepState;
import dev.lockstep.api.StepStatus;
import dev.lockstep.steps.Hold;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a waiting step waits for, as status keeps it ({@code steps[].waitingFor}): the holds a
 * handler observed, each with the time it first held the step. A hold is the same hold from one
 * look to the next while its gate and subject stay the same, so its {@code since} is kept and its
 * Event is emitted once. Pure.
 */
final class StepHolds {

  private StepHolds() {}

  /** The holds to record now: those seen, each keeping the {@code since} it had, new ones since {@code now}. */
  static List<StepHold> record(List<StepHold> before, List<Hold> seen, Instant now) {
    if (seen.isEmpty()) {
      return null;
    }
    List<StepHold> recorded = new ArrayList<>();
    for (Hold hold : seen) {
      StepHold previous = find(before, hold.gate().field(), hold.subject());
      String since = previous == null || previous.getSince() == null ? now.toString() : previous.getSince();
      recorded.add(new StepHold(hold.gate().field(), hold.subject(), hold.message(), since));
    }
    return recorded;
  }

  /**
   * A step that has not started waits only for its approval, and only while the migration is
   * {@code WaitingForApproval}: in any other phase (aborted, paused, a guard breached, the spec
   * changed) its holds and the message that told of them go, so status does not say it still waits.
   */
  static void forgetWaitsOfStepsNotStarted(SchemaMigrationStatus status) {
    if (status.getSteps() == null || status.getPhase() == Phase.WaitingForApproval) {
      return;
    }
    for (StepStatus step : status.getSteps()) {
      if (step.getState() == StepState.Pending && step.getWaitingFor() != null) {
        step.setWaitingFor(null);
        step.setMessage(null);
      }
    }
  }

  /** Whether {@code before} had a hold of the same gate and subject. */
  static boolean held(List<StepHold> before, StepHold hold) {
    return find(before, hold.getGate(), hold.getSubject()) != null;
  }

  /** How long the step has waited: since the oldest of its holds. */
  static Duration waited(List<StepHold> holds, Instant now) {
    if (holds == null || holds.isEmpty()) {
      return Duration.ZERO;
    }
    Instant oldest = holds.stream().map(h -> Instant.parse(h.getSince())).min(Instant::compareTo).orElse(now);
    Duration waited = Duration.between(oldest, now);
    return waited.isNegative() ? Duration.ZERO : Duration.ofSeconds(waited.toSeconds());
  }

  /** {@code " (waiting for 1m5s)"}, or nothing before the first second has passed. */
  static String waitedSuffix(List<StepHold> holds, Instant now) {
    Duration waited = waited(holds, now);
    return waited.isZero() ? "" : " (waiting for " + Durations.format(waited) + ")";
  }

  /**
   * What a step that ran out of time was still waiting for, for its timeout message: {@code still
   * waiting for compatibility: Deployment/orders: 1 of 2 ready pods does not support ...}.
   */
  static String stillWaitingFor(List<Hold> holds) {
    return "still waiting for " + String.join("; ",
        holds.stream().map(h -> h.gate().field() + ": " + h.message()).toList());
  }

  private static StepHold find(List<StepHold> holds, String gate, String subject) {
    if (holds == null) {
      return null;
    }
    return holds.stream()
        .filter(h -> Objects.equals(h.getGate(), gate) && Objects.equals(h.getSubject(), subject))
        .findFirst().orElse(null);
  }
}
