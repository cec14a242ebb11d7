package dev.lockstep.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One static risk rule hit in an inspected script, in as few bytes as it can be told. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InspectedFinding {

  @JsonPropertyDescription("Script file name.")
  private String file;

  @JsonPropertyDescription("Line of the statement.")
  private Integer line;

  @JsonPropertyDescription("Rule id.")
  private String rule;

  @JsonPropertyDescription("Risk of the statement: low, moderate or high.")
  private String risk;

  @JsonPropertyDescription("Lock mode the statement takes.")
  private String lock;

  @JsonPropertyDescription("Table the risk is about.")
  private String table;

  public String getFile() {
    return file;
  }

  public void setFile(String file) {
    this.file = file;
  }

  public Integer getLine() {
    return line;
  }

  public void setLine(Integer line) {
    this.line = line;
  }

  public String getRule() {
    return rule;
  }

  public void setRule(String rule) {
    this.rule = rule;
  }

  public String getRisk() {
    return risk;
  }

  public void setRisk(String risk) {
    this.risk = risk;
  }

  public String getLock() {
    return lock;
  }

  public void setLock(String lock) {
    this.lock = lock;
  }

  public String getTable() {
    return table;
  }

  public void setTable(String table) {
    this.table = table;
  }
}
