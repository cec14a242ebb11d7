package dev.lockstep.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/** Conditions to wait for. All that are set must hold. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.podsReady) || has(self.compatible) || has(self.duration) || has(self.prometheus)", message = "a wait step needs at least one condition")
public class WaitStep {

  @JsonPropertyDescription("Every workload has rolled out and all its replicas are ready.")
  private Boolean podsReady;

  @JsonPropertyDescription("Every ready pod of every workload with compatibility supports this schema version.")
  private String compatible;

  @JsonPropertyDescription("Soak time, measured from the start of the step.")
  @Pattern("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$")
  private String duration;

  @JsonPropertyDescription("A Prometheus query whose value must stay within bounds.")
  private PrometheusCheck prometheus;

  public Boolean getPodsReady() {
    return podsReady;
  }

  public void setPodsReady(Boolean podsReady) {
    this.podsReady = podsReady;
  }

  public String getCompatible() {
    return compatible;
  }

  public void setCompatible(String compatible) {
    this.compatible = compatible;
  }

  public String getDuration() {
    return duration;
  }

  public void setDuration(String duration) {
    this.duration = duration;
  }

  public PrometheusCheck getPrometheus() {
    return prometheus;
  }

  public void setPrometheus(PrometheusCheck prometheus) {
    this.prometheus = prometheus;
  }
}
