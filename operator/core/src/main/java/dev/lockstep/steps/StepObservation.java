package dev.lockstep.steps;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Where a step's current attempt (or its undo) stands, as its handler observed it.
 *
 * @param outcome running, succeeded, failed, missing (started, but its Job is gone), or act again
 * @param message what is happening, in a sentence for status
 * @param progress a short progress figure for status ({@code 3/5 pods ready}), or {@code null}
 * @param recheckAfter when to look again while running; {@code null} leaves it to the engine
 * @param report facts the step produced (schema versions, lock retries), or {@code null}
 * @param holdingSince since when a condition measured over a window has held, for status to keep
 *     across restarts; {@code null} when none does
 * @param holds what a running step waits for, one entry per gate and subject; empty when it waits
 *     for nothing (or is not running)
 */
public record StepObservation(
    Outcome outcome, String message, String progress, Duration recheckAfter, StepReport report,
    Instant holdingSince, List<Hold> holds) {

  public StepObservation {
    holds = holds == null ? List.of() : List.copyOf(holds);
  }

  public StepObservation(
      Outcome outcome, String message, String progress, Duration recheckAfter, StepReport report,
      Instant holdingSince) {
    this(outcome, message, progress, recheckAfter, report, holdingSince, List.of());
  }

  /** How an attempt stands. */
  public enum Outcome {
    RUNNING,
    SUCCEEDED,
    FAILED,
    /** The attempt was started but nothing of it is left (its Job was deleted): start it again. */
    MISSING,
    /**
     * The attempt goes on by acting once more: its next move is the handler's {@code start} (or
     * {@code undo}) again — a flags step saves each flag's definition in one reconcile and writes the
     * flags in the next. Nothing is lost, unlike {@link #MISSING}.
     */
    ACT_AGAIN
  }

  public static StepObservation running(String message, String progress, Duration recheckAfter) {
    return new StepObservation(Outcome.RUNNING, message, progress, recheckAfter, null, null);
  }

  public static StepObservation succeeded(String message, StepReport report) {
    return new StepObservation(Outcome.SUCCEEDED, message, null, null, report, null);
  }

  public static StepObservation failed(String message, StepReport report) {
    return new StepObservation(Outcome.FAILED, message, null, null, report, null);
  }

  public static StepObservation missing(String message) {
    return new StepObservation(Outcome.MISSING, message, null, null, null, null);
  }

  public static StepObservation actAgain(String message) {
    return new StepObservation(Outcome.ACT_AGAIN, message, null, null, null, null);
  }

  /** The same observation, remembering since when a windowed condition has held. */
  public StepObservation holdingSince(Instant since) {
    return new StepObservation(outcome, message, progress, recheckAfter, report, since, holds);
  }

  /** The same observation, naming what the step waits for. */
  public StepObservation waitingFor(List<Hold> what) {
    return new StepObservation(outcome, message, progress, recheckAfter, report, holdingSince, what);
  }
}
