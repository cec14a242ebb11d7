package dev.lockstep.runner.backfill.throttle;

import dev.lockstep.gates.PrometheusQuery;
import dev.lockstep.gates.Reading;

/** A throttle's value from a PromQL instant query, through the same client as the operator's gates. */
public final class PrometheusThrottleSignal implements ThrottleSignal {

  private final PrometheusQuery prometheus;
  private final String url;
  private final String query;

  public PrometheusThrottleSignal(PrometheusQuery prometheus, String url, String query) {
    this.prometheus = prometheus;
    this.url = url;
    this.query = query;
  }

  @Override
  public Reading<Double> read() {
    return prometheus.value(url, query);
  }

  @Override
  public String describe() {
    return "Prometheus `" + query + "`";
  }
}
