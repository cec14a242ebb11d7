package dev.lockstep.runner.backfill.throttle;

import dev.lockstep.runner.RunnerFailure;
import java.time.Duration;

/**
 * A backfill's throttle as given on the command line: one source of a value, the highest value at
 * which batches may run, and how often to read it.
 *
 * @param sql an SQL query on the target database that returns one number (e.g. replication lag),
 *     or null
 * @param prometheusUrl Prometheus' base URL when the value comes from a PromQL query, or null
 * @param prometheusQuery the PromQL instant query, with {@code prometheusUrl}
 * @param max batches run while the value is at most this
 * @param interval how often the value is read while batches run, and again while paused
 */
public record ThrottleSettings(
    String sql, String prometheusUrl, String prometheusQuery, double max, Duration interval) {

  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

  public ThrottleSettings {
    boolean bySql = sql != null;
    boolean byPrometheus = prometheusUrl != null || prometheusQuery != null;
    if (bySql == byPrometheus) {
      throw RunnerFailure.badInput("a throttle needs exactly one source: --throttle-sql, or --throttle-prometheus-url"
          + " with --throttle-prometheus-query");
    }
    if (byPrometheus && (blank(prometheusUrl) || blank(prometheusQuery))) {
      throw RunnerFailure.badInput(
          "--throttle-prometheus-url and --throttle-prometheus-query go together; give both");
    }
    if (byPrometheus && !prometheusUrl.matches("(?i)https?://.+")) {
      throw RunnerFailure.badInput("--throttle-prometheus-url is \"" + prometheusUrl
          + "\"; give the http(s) URL of the Prometheus server, e.g. http://prometheus.monitoring:9090");
    }
    if (bySql && blank(sql)) {
      throw RunnerFailure.badInput("--throttle-sql is empty; give a query that returns one number, e.g."
          + " \"SELECT coalesce(max(extract(epoch FROM replay_lag)), 0) FROM pg_stat_replication\"");
    }
    if (!Double.isFinite(max)) {
      throw RunnerFailure.badInput("--throttle-max is " + max + "; give a finite number");
    }
    if (interval == null || interval.isZero() || interval.isNegative()) {
      throw RunnerFailure.badInput("--throttle-interval must be more than 0, such as 1s");
    }
  }

  private static boolean blank(String text) {
    return text == null || text.isBlank();
  }
}
