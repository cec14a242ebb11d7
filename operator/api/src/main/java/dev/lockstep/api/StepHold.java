package dev.lockstep.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * One thing a waiting step waits for: a gate and what holds it. The operator emits one Event when a
 * hold appears (a new gate or subject), not on every look.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StepHold {

  @JsonPropertyDescription("The gate that holds the step: compatibility, podsReady, duration, prometheus or approval.")
  private String gate;

  @JsonPropertyDescription("What the gate waits on, for example Deployment/orders, a query, or the step awaiting approval.")
  private String subject;

  @JsonPropertyDescription("What holds it, in a sentence: the pods, the versions they support, the value read.")
  private String message;

  @JsonPropertyDescription("Since when this gate has held the step (RFC 3339).")
  private String since;

  public StepHold() {}

  public StepHold(String gate, String subject, String message, String since) {
    this.gate = gate;
    this.subject = subject;
    this.message = message;
    this.since = since;
  }

  public String getGate() {
    return gate;
  }

  public void setGate(String gate) {
    this.gate = gate;
  }

  public String getSubject() {
    return subject;
  }

  public void setSubject(String subject) {
    this.subject = subject;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getSince() {
    return since;
  }

  public void setSince(String since) {
    this.since = since;
  }
}
