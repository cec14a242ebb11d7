package dev.lockstep.gates;

import java.util.Objects;
import java.util.function.Function;

/**
 * What a gate read from the outside world — a pod's schema range, a Prometheus value — or, when it
 * could not read one, why not. Gates answer with a reason instead of throwing, because "could not
 * tell" is an ordinary answer that the step engine reports in status.
 *
 * @param value what was read, or {@code null} when nothing could be
 * @param problem why nothing could be read (a sentence for status), or {@code null} when read
 * @param timedOut whether nothing was read only because the answer did not come in time: the source
 *     may be fine but busy, so the reading is unknown rather than a "no"
 */
public record Reading<T>(T value, String problem, boolean timedOut) {

  public Reading {
    if ((value == null) == (problem == null)) {
      throw new IllegalArgumentException("a reading has either a value or a problem, not both or neither");
    }
    if (timedOut && problem == null) {
      throw new IllegalArgumentException("only a reading with a problem can have timed out");
    }
  }

  public Reading(T value, String problem) {
    this(value, problem, false);
  }

  /** Nothing was read because the answer did not come in time. */
  public static <T> Reading<T> timedOut(String problem) {
    return new Reading<>(null, Objects.requireNonNull(problem, "problem"), true);
  }

  public static <T> Reading<T> of(T value) {
    return new Reading<>(Objects.requireNonNull(value, "value"), null);
  }

  public static <T> Reading<T> failed(String problem) {
    return new Reading<>(null, Objects.requireNonNull(problem, "problem"));
  }

  public boolean ok() {
    return value != null;
  }

  /** Applies {@code next} to the value; a problem passes through unchanged. */
  public <U> Reading<U> then(Function<T, Reading<U>> next) {
    return ok() ? next.apply(value) : new Reading<>(null, problem, timedOut);
  }

  /** The same problem with {@code context} in front, e.g. the pod it is about. */
  public Reading<T> explain(Function<String, String> context) {
    return ok() ? this : new Reading<>(null, context.apply(problem), timedOut);
  }
}
