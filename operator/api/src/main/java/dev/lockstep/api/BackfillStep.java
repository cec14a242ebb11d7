package dev.lockstep.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Change existing rows in batches, each its own short transaction. */
@JsonInclude(JsonInclude.Include.NON_NULL)
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

  @JsonPropertyDescription("Rows per batch.")
  @Min(1)
  @Default("1000")
  private Integer batchSize = 1000;

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
