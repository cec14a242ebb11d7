package dev.lockstep.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** Change existing rows in batches, each its own short transaction. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.minBatchSize) || !has(self.maxBatchSize) || self.minBatchSize <= self.maxBatchSize",
    message = "minBatchSize must not be above maxBatchSize")
public class BackfillStep {

  @JsonPropertyDescription("Table to change (optionally schema-qualified).")
  @Required
  private String table;

  @JsonPropertyDescription("SQL SET expression, for example currency = 'EUR'.")
  @Required
  private String set;

  @JsonPropertyDescription("SQL condition that selects the rows still to change; changed rows must stop matching it.")
  @Required
  private String where;

  @JsonPropertyDescription("Primary keys in the first batch, and in every batch when batchTime is 0s. Each batch is"
      + " one statement over a range of this many keys.")
  @Min(1)
  @Default("1000")
  private Integer batchSize = 1000;

  @JsonPropertyDescription("Duration each batch aims at: batch sizes adapt to it, within minBatchSize and"
      + " maxBatchSize. 0s keeps every batch at batchSize. Default 50ms.")
  @Pattern("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$")
  private String batchTime;

  @JsonPropertyDescription("Fewest keys in a batch sized by time. Default 100.")
  @Min(1)
  private Integer minBatchSize;

  @JsonPropertyDescription("Most keys in a batch sized by time. Default 100000.")
  @Min(1)
  private Integer maxBatchSize;

  @JsonPropertyDescription("Holds batches back while a value read from Prometheus or the database (replication lag,"
      + " the application's latency) is above a maximum.")
  private BackfillThrottle throttle;

  @JsonPropertyDescription("Pause between batches.")
  @Pattern("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$")
  private String pause;

  @JsonPropertyDescription("How to revert the backfill on rollback.")
  private BackfillUndo undo;

  public String getTable() {
    return table;
  }

  public void setTable(String table) {
    this.table = table;
  }

  public String getSet() {
    return set;
  }

  public void setSet(String set) {
    this.set = set;
  }

  public String getWhere() {
    return where;
  }

  public void setWhere(String where) {
    this.where = where;
  }

  public Integer getBatchSize() {
    return batchSize;
  }

  public void setBatchSize(Integer batchSize) {
    this.batchSize = batchSize;
  }

  public String getBatchTime() {
    return batchTime;
  }

  public void setBatchTime(String batchTime) {
    this.batchTime = batchTime;
  }

  public Integer getMinBatchSize() {
    return minBatchSize;
  }

  public void setMinBatchSize(Integer minBatchSize) {
    this.minBatchSize = minBatchSize;
  }

  public Integer getMaxBatchSize() {
    return maxBatchSize;
  }

  public void setMaxBatchSize(Integer maxBatchSize) {
    this.maxBatchSize = maxBatchSize;
  }

  public BackfillThrottle getThrottle() {
    return throttle;
  }

  public void setThrottle(BackfillThrottle throttle) {
    this.throttle = throttle;
  }

  public String getPause() {
    return pause;
  }

  public void setPause(String pause) {
    this.pause = pause;
  }

  public BackfillUndo getUndo() {
    return undo;
  }

  public void setUndo(BackfillUndo undo) {
    this.undo = undo;
  }
}
