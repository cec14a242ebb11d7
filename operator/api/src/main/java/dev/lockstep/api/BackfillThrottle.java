package dev.lockstep.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * What holds a backfill's batches back while the application needs the database: a value read
 * from Prometheus or from an SQL query, and the highest value at which batches may run.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.prometheus) != has(self.sql)", message = "set exactly one of prometheus and sql")
public class BackfillThrottle {

  @JsonPropertyDescription("A PromQL instant query that returns one number, e.g. the application's p99 latency.")
  private ThrottlePrometheus prometheus;

  @JsonPropertyDescription("An SQL query on the migration's database that returns one number, e.g."
      + " SELECT coalesce(max(extract(epoch FROM replay_lag)), 0) FROM pg_stat_replication.")
  private String sql;

  @JsonPropertyDescription("Batches run while the value is at most this; above it, or when the value cannot be"
      + " read, they wait, and the step's progress says why.")
  @Required
  private Double max;

  @JsonPropertyDescription("How often the value is read, while batches run and while they wait. Default 1s.")
  @Pattern("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$")
  private String interval;

  public ThrottlePrometheus getPrometheus() {
    return prometheus;
  }

  public void setPrometheus(ThrottlePrometheus prometheus) {
    this.prometheus = prometheus;
  }

  public String getSql() {
    return sql;
  }

  public void setSql(String sql) {
    this.sql = sql;
  }

  public Double getMax() {
    return max;
  }

  public void setMax(Double max) {
    this.max = max;
  }

  public String getInterval() {
    return interval;
  }

  public void setInterval(String interval) {
    this.interval = interval;
  }
}
