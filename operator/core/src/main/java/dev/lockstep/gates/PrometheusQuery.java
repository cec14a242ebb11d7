package dev.lockstep.gates;

/** Runs an instant PromQL query. */
public interface PrometheusQuery {

  /**
   * The one value {@code query} has now, or why there is none: Prometheus unreachable or answering
   * an error, no series, more than one series, NaN.
   *
   * @param url Prometheus' base URL, e.g. {@code http://prometheus.monitoring:9090}
   */
  Reading<Double> value(String url, String query);
}
