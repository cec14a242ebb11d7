package dev.lockstep.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** An instant Prometheus query that must stay within bounds. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.max) || has(self.min)", message = "set max, min or both")
public class PrometheusCheck {

  @JsonPropertyDescription("Base URL of the Prometheus server.")
  @Required
  private String url;

  @JsonPropertyDescription("PromQL instant query that returns one value.")
  @Required
  private String query;

  @JsonPropertyDescription("Highest value allowed.")
  private Double max;

  @JsonPropertyDescription("Lowest value allowed.")
  private Double min;

  @JsonPropertyDescription("How long the value must stay within bounds.")
  @Pattern("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$")
  @JsonProperty("for")
  private String forDuration;

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public String getQuery() {
    return query;
  }

  public void setQuery(String query) {
    this.query = query;
  }

  public Double getMax() {
    return max;
  }

  public void setMax(Double max) {
    this.max = max;
  }

  public Double getMin() {
    return min;
  }

  public void setMin(Double min) {
    this.min = min;
  }

  public String getForDuration() {
    return forDuration;
  }

  public void setForDuration(String forDuration) {
    this.forDuration = forDuration;
  }
}
