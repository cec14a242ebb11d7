package dev.lockstep.validate;

import dev.lockstep.api.Durations;
import dev.lockstep.api.PrometheusCheck;
import dev.lockstep.api.SchemaMigrationSpec;
import dev.lockstep.api.Step;
import dev.lockstep.scripts.ScriptInventory;
import java.util.List;

/**
 * What a step kind's validation sees: the step, where it is (for messages), the whole spec, the
 * steps before it (versions only move forward), and the scripts when the operator could read them.
 *
 * @param step the step's spec
 * @param where how messages name the step: {@code step expand}
 * @param spec the migration's spec
 * @param before the steps that come before this one, in order
 * @param scripts the scripts' inventory, or {@code null} when it is not known (the scripts come from an
 *     image, or their ConfigMap is missing, which the validator reports itself)
 */
public record StepValidation(Step step, String where, SchemaMigrationSpec spec, List<Step> before,
    ScriptInventory scripts) {

  /** Adds a problem when {@code value} is set but is not a duration such as 90s or 2m. */
  public static void checkDuration(String value, String field, List<String> problems) {
    if (value == null) {
      return;
    }
    try {
      Durations.parse(value, field);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
  }

  /** The longest step timeout taken: anything longer is a typo, and would hide a stuck Job for weeks. */
  public static final java.time.Duration MAX_TIMEOUT = java.time.Duration.ofDays(7);

  /**
   * Adds a problem when {@code value} is set but is not a duration, or is shorter than a second (a
   * Job's deadline is counted in whole seconds, and 0 would fail every step at once) or longer than
   * {@link #MAX_TIMEOUT}.
   */
  public static void checkTimeout(String value, String field, List<String> problems) {
    if (value == null) {
      return;
    }
    java.time.Duration timeout;
    try {
      timeout = Durations.parse(value, field);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
      return;
    }
    if (timeout.compareTo(java.time.Duration.ofSeconds(1)) < 0) {
      problems.add(field + " is " + value + "; give at least 1s, such as 15m (leave it out for the default)");
    } else if (timeout.compareTo(MAX_TIMEOUT) > 0) {
      problems.add(field + " is " + value + "; give at most 168h (7 days), such as 15m or 2h");
    }
  }

  /** Adds the problems of a Prometheus check at {@code where} (a guard or a wait). */
  public static void checkPrometheus(PrometheusCheck check, String where, List<String> problems) {
    if (blank(check.getUrl()) || !check.getUrl().matches("https?://.+")) {
      problems.add(where + ".url must be the http(s) URL of the Prometheus server");
    }
    if (blank(check.getQuery())) {
      problems.add(where + ".query is missing; give a PromQL query that returns one value");
    }
    if (check.getMax() == null && check.getMin() == null) {
      problems.add(where + " needs max, min or both");
    }
    checkDuration(check.getForDuration(), where + ".for", problems);
  }

  public static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
