package dev.lockstep.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Why a migration is Failed, as fields the operator acts on (retry, abort) without reading a message. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Failure {

  @JsonPropertyDescription("Why the migration failed, also the reason of its Ready condition: ValidationFailed"
      + " (the spec is invalid; nothing ran), StepFailed (a step failed and was not rolled back), UndoFailed"
      + " (undoing a step failed) or PointOfNoReturn (the rollback reached a step that cannot be undone).")
  private FailureReason reason;

  @JsonPropertyDescription("The step that failed, whose undo failed, or that cannot be undone; absent for"
      + " ValidationFailed.")
  private String step;

  @JsonPropertyDescription("What went wrong, in one sentence, without what to do about it (that is in"
      + " status.message).")
  private String message;

  public Failure() {}

  public Failure(FailureReason reason, String step, String message) {
    this.reason = reason;
    this.step = step;
    this.message = message;
  }

  public FailureReason getReason() {
    return reason;
  }

  public void setReason(FailureReason reason) {
    this.reason = reason;
  }

  public String getStep() {
    return step;
  }

  public void setStep(String step) {
    this.step = step;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }
}
