package dev.lockstep.steps;

import dev.lockstep.api.BackfillStep;
import dev.lockstep.api.BackfillThrottle;
import dev.lockstep.api.Durations;
import dev.lockstep.api.ThrottlePrometheus;
import dev.lockstep.runner.backfill.SqlFragment;
import dev.lockstep.validate.StepValidation;
import java.util.List;

/** A backfill's batch sizing and throttle, checked at validation as the runner checks its arguments. */
final class BackfillSpecChecks {

  private BackfillSpecChecks() {}

  /** A table name as PostgreSQL parses one: an identifier, optionally schema-qualified, plain or double-quoted. */
  private static final java.util.regex.Pattern TABLE = java.util.regex.Pattern.compile(
      "(?:[A-Za-z_][A-Za-z0-9_$]*|\"(?:[^\"]|\"\")+\")(?:\\.(?:[A-Za-z_][A-Za-z0-9_$]*|\"(?:[^\"]|\"\")+\"))?");

  static boolean isTableName(String table) {
    return TABLE.matcher(table.strip()).matches();
  }

  /**
   * Adds a problem when an expression the runner puts into its own statement could end that
   * statement or escape its parentheses ({@link SqlFragment}); blank ones are reported by the caller.
   */
  static void checkFragment(String text, String field, List<String> problems) {
    if (StepValidation.blank(text)) {
      return;
    }
    String problem = SqlFragment.problem(text);
    if (problem != null) {
      problems.add(field + " " + problem + (problem.contains("; ") ? "" : "; give a single SQL expression"));
    }
  }

  /** The same rules as the runner's, so that a Job never starts only to refuse its arguments. */
  static void checkBatchSizing(BackfillStep backfill, String where, List<String> problems) {
    StepValidation.checkDuration(backfill.getBatchTime(), where + ": backfill.batchTime", problems);
    Integer min = backfill.getMinBatchSize();
    Integer max = backfill.getMaxBatchSize();
    if (min != null && min < 1) {
      problems.add(where + ": backfill.minBatchSize is " + min + "; use at least 1");
    }
    if (max != null && max < 1) {
      problems.add(where + ": backfill.maxBatchSize is " + max + "; use at least 1");
    }
    if (min != null && max != null && min > max) {
      problems.add(where + ": backfill.minBatchSize " + min + " is above backfill.maxBatchSize " + max
          + "; give a minimum no larger than the maximum");
    }
    boolean fixed;
    try {
      fixed = backfill.getBatchTime() != null && Durations.parse(backfill.getBatchTime(), "batchTime").isZero();
    } catch (IllegalArgumentException e) {
      fixed = false; // reported above
    }
    Integer first = backfill.getBatchSize();
    if (!fixed && first != null && first >= 1
        && ((min != null && first < min) || (max != null && first > max))) {
      problems.add(where + ": backfill.batchSize " + first + " is outside minBatchSize and maxBatchSize ("
          + (min == null ? "-" : min) + " to " + (max == null ? "-" : max) + "); the first batch is sized within them too");
    }
  }

  static void checkThrottle(BackfillThrottle throttle, String where, List<String> problems) {
    boolean bySql = throttle.getSql() != null;
    boolean byPrometheus = throttle.getPrometheus() != null;
    if (bySql == byPrometheus) {
      problems.add(where + " must set exactly one of prometheus and sql");
    }
    if (bySql && StepValidation.blank(throttle.getSql())) {
      problems.add(where + ".sql is empty; give a query that returns one number, such as"
          + " SELECT coalesce(max(extract(epoch FROM replay_lag)), 0) FROM pg_stat_replication");
    }
    if (bySql && !StepValidation.blank(throttle.getSql())) {
      String problem = SqlFragment.problem(throttle.getSql());
      if (problem != null) {
        problems.add(where + ".sql " + problem);
      }
    }
    if (byPrometheus) {
      ThrottlePrometheus prometheus = throttle.getPrometheus();
      if (StepValidation.blank(prometheus.getUrl()) || !prometheus.getUrl().matches("https?://.+")) {
        problems.add(where + ".prometheus.url must be the http(s) URL of the Prometheus server");
      }
      if (StepValidation.blank(prometheus.getQuery())) {
        problems.add(where + ".prometheus.query is missing; give a PromQL query that returns one value");
      }
    }
    if (throttle.getMax() == null) {
      problems.add(where + ".max is missing; give the highest value at which batches may run");
    } else if (!Double.isFinite(throttle.getMax())) {
      problems.add(where + ".max must be a finite number");
    }
    StepValidation.checkDuration(throttle.getInterval(), where + ".interval", problems);
    if (throttle.getInterval() != null) {
      try {
        if (Durations.parse(throttle.getInterval(), "interval").isZero()) {
          problems.add(where + ".interval must be more than 0, such as 1s");
        }
      } catch (IllegalArgumentException e) {
        // reported by checkDuration
      }
    }
  }
}
