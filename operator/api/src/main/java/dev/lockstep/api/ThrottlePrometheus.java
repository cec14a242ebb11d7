package dev.lockstep.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Where a backfill's throttle reads its value in Prometheus. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ThrottlePrometheus {

  @JsonPropertyDescription("Base URL of the Prometheus server, reached from the backfill's Job.")
  @Required
  private String url;

  @JsonPropertyDescription("PromQL instant query that returns one value.")
  @Required
  private String query;

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
}
