package dev.lockstep.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Conditions checked all the time while steps run. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Guards {

  @JsonPropertyDescription("Every workload keeps all its replicas ready.")
  private Boolean podsReady;

  @JsonPropertyDescription("A Prometheus query that must stay within bounds.")
  private PrometheusCheck prometheus;

  public Boolean getPodsReady() {
    return podsReady;
  }

  public void setPodsReady(Boolean podsReady) {
    this.podsReady = podsReady;
  }

  public PrometheusCheck getPrometheus() {
    return prometheus;
  }

  public void setPrometheus(PrometheusCheck prometheus) {
    this.prometheus = prometheus;
  }
}
