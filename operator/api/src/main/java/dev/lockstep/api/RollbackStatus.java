package dev.lockstep.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Why a rollback started, as fields; {@code status.rollbackReason} says the same for people. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RollbackStatus {

  @JsonPropertyDescription("What started the rollback: StepFailed (a step failed or ran out of time),"
      + " GuardBreached (a guard was breached) or Aborted (the annotation lockstep.dev/abort).")
  private RollbackCause cause;

  @JsonPropertyDescription("The step that failed, or that ran or was next when the rollback started; absent"
      + " when there was none.")
  private String fromStep;

  public RollbackStatus() {}

  public RollbackStatus(RollbackCause cause, String fromStep) {
    this.cause = cause;
    this.fromStep = fromStep;
  }

  public RollbackCause getCause() {
    return cause;
  }

  public void setCause(RollbackCause cause) {
    this.cause = cause;
  }

  public String getFromStep() {
    return fromStep;
  }

  public void setFromStep(String fromStep) {
    this.fromStep = fromStep;
  }
}
