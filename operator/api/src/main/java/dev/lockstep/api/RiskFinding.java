package dev.lockstep.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One risk finding. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RiskFinding {

  @JsonPropertyDescription("Script file name.")
  private String script;

  @JsonPropertyDescription("Line of the statement.")
  private Integer line;

  @JsonPropertyDescription("Rule id.")
  private String rule;

  @JsonPropertyDescription("Lock mode the statement takes.")
  private String lock;

  @JsonPropertyDescription("What the risk is and what to do instead.")
  private String message;

  @JsonPropertyDescription("Step that runs the script.")
  private String step;

  @JsonPropertyDescription("Risk of the statement: Low, Moderate or High.")
  private String risk;

  public String getScript() {
    return script;
  }

  public void setScript(String script) {
    this.script = script;
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

  public String getLock() {
    return lock;
  }

  public void setLock(String lock) {
    this.lock = lock;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getStep() {
    return step;
  }

  public void setStep(String step) {
    this.step = step;
  }

  public String getRisk() {
    return risk;
  }

  public void setRisk(String risk) {
    this.risk = risk;
  }
}
