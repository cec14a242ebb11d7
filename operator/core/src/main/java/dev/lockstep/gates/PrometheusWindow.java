package dev.lockstep.gates;

import dev.lockstep.api.Durations;
import dev.lockstep.api.PrometheusCheck;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

/**
 * Judges a {@code prometheus: {query, max, min, for}} check from one sample and the time the
 * current run of samples began. Pure: the caller keeps {@code since} in the resource's status and
 * passes it back on the next reconcile, so a window survives operator restarts.
 *
 * <p>Both bounds are inclusive: {@code max: 0.01} allows 0.01. The window is judged from the samples
 * taken, one per reconcile; a value that leaves bounds and comes back between two samples is not seen
 * — the same trade-off as the {@code for} of a Prometheus alerting rule.
 *
 * <p>A {@code wait} step and a guard read {@code for} in opposite ways:
 *
 * <ul>
 *   <li>{@link #holding}: a wait is satisfied once the value has stayed <em>within</em> bounds for
 *       {@code for}; a sample out of bounds, or one that cannot be read, starts the window again.
 *   <li>{@link #breach}: a guard is breached once the value has stayed <em>out of</em> bounds for
 *       {@code for}; a sample within bounds clears it. A sample that cannot be read counts as out of
 *       bounds: a guard that cannot see cannot vouch for the rollout, and {@code for} is the
 *       tolerance for a passing outage.
 * </ul>
 */
public final class PrometheusWindow {

  private PrometheusWindow() {}

  /**
   * Where a wait stands after one sample.
   *
   * @param satisfied the value has been within bounds for the whole window
   * @param since when the current run of samples within bounds began, to keep in status; {@code null}
   *     when the last sample broke it
   * @param message what the sample was and how much of the window is left
   */
  public record Holding(boolean satisfied, Instant since, String message) {}

  /**
   * Where a guard stands after one sample.
   *
   * @param breached the value has been out of bounds (or unreadable) for the whole window
   * @param since when the current run of bad samples began, to keep in status; {@code null} while
   *     the value is within bounds
   * @param message what the sample was and how long it has been bad
   */
  public record Breach(boolean breached, Instant since, String message) {}

  /**
   * A {@code wait} step's check.
   *
   * @param since what the previous call returned as {@code since}, or {@code null}
   * @throws IllegalArgumentException when {@code for} is not a duration (the spec validator rejects it first)
   */
  public static Holding holding(Instant since, Reading<Double> sample, Instant now, PrometheusCheck check) {
    Duration window = window(check);
    if (!sample.ok()) {
      return new Holding(false, null, sample.problem() + restart(window));
    }
    String bounds = outOfBounds(sample.value(), check);
    if (bounds != null) {
      return new Holding(false, null, described(check, sample.value()) + ", " + bounds + restart(window));
    }
    Instant start = since == null || since.isAfter(now) ? now : since;
    Duration held = Duration.between(start, now);
    String within = described(check, sample.value()) + ", " + within(check);
    if (held.compareTo(window) >= 0) {
      return new Holding(true, start, window.isZero() ? within : within + " for " + Durations.format(window));
    }
    return new Holding(false, start, within + " for " + Durations.format(held) + " of " + Durations.format(window));
  }

  /**
   * A guard's check.
   *
   * @param since what the previous call returned as {@code since}, or {@code null}
   * @throws IllegalArgumentException when {@code for} is not a duration (the spec validator rejects it first)
   */
  public static Breach breach(Instant since, Reading<Double> sample, Instant now, PrometheusCheck check) {
    Duration window = window(check);
    String bad;
    if (!sample.ok()) {
      bad = sample.problem();
    } else {
      String bounds = outOfBounds(sample.value(), check);
      if (bounds == null) {
        return new Breach(false, null, described(check, sample.value()) + ", " + within(check));
      }
      bad = described(check, sample.value()) + ", " + bounds;
    }
    Instant start = since == null || since.isAfter(now) ? now : since;
    Duration lasted = Duration.between(start, now);
    if (lasted.compareTo(window) >= 0) {
      return new Breach(true, start, window.isZero() ? bad : bad + " (for " + Durations.format(window) + ")");
    }
    return new Breach(false, start, bad + " (for " + Durations.format(lasted) + "; a breach after "
        + Durations.format(window) + ")");
  }

  /** Why {@code value} is out of bounds, or {@code null} when it is within them. */
  static String outOfBounds(double value, PrometheusCheck check) {
    if (check.getMax() != null && value > check.getMax()) {
      return "above max " + number(check.getMax());
    }
    if (check.getMin() != null && value < check.getMin()) {
      return "below min " + number(check.getMin());
    }
    return null;
  }

  private static Duration window(PrometheusCheck check) {
    return Durations.parseOr(check.getForDuration(), "prometheus.for", Duration.ZERO);
  }

  private static String restart(Duration window) {
    return window.isZero() ? "" : "; the " + Durations.format(window) + " window starts again";
  }

  private static String within(PrometheusCheck check) {
    if (check.getMax() != null && check.getMin() != null) {
      return "within min " + number(check.getMin()) + " and max " + number(check.getMax());
    }
    if (check.getMax() != null) {
      return "within max " + number(check.getMax());
    }
    if (check.getMin() != null) {
      return "within min " + number(check.getMin());
    }
    return "with no bounds to check";
  }

  private static String described(PrometheusCheck check, double value) {
    return "`" + Texts.shortened(check.getQuery(), Texts.SHOWN) + "` is " + number(value);
  }

  /** {@code 0.01} rather than {@code 1.0E-2}, and {@code 1} rather than {@code 1.0}: as Prometheus writes numbers. */
  static String number(double value) {
    if (Double.isInfinite(value)) {
      return value > 0 ? "+Inf" : "-Inf";
    }
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }
}
