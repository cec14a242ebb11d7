package dev.lockstep.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/**
 * What a failed step left in the database that only a repair clears, and how its repair goes. Set
 * while the {@code NeedsRepair} condition is True; cleared when a repair Job succeeds.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RepairStatus {

  @JsonPropertyDescription("The failed step that needs the repair.")
  private String step;

  @JsonPropertyDescription("What is wrong, as the NeedsRepair condition's reason: FailedMigration, FlywayLockHeld or InvalidIndex.")
  private RepairReason reason;

  @JsonPropertyDescription("Flyway version of the script that failed half-way, if one did.")
  private String version;

  @JsonPropertyDescription("The script that failed half-way, if one did.")
  private String script;

  @JsonPropertyDescription("What the runner found, one sentence each.")
  private List<String> problems = new ArrayList<>();

  @JsonPropertyDescription("Repair Jobs started so far (annotation lockstep.dev/repair).")
  private Integer attempts;

  @JsonPropertyDescription("Name of the Job of the latest repair.")
  private String job;

  @JsonPropertyDescription("When the repair Job now running started (RFC 3339); absent while none runs.")
  private String startedAt;

  @JsonPropertyDescription("How the latest repair ended, when it refused or failed.")
  private String message;

  public String getStep() {
    return step;
  }

  public void setStep(String step) {
    this.step = step;
  }

  public RepairReason getReason() {
    return reason;
  }

  public void setReason(RepairReason reason) {
    this.reason = reason;
  }

  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }

  public String getScript() {
    return script;
  }

  public void setScript(String script) {
    this.script = script;
  }

  public List<String> getProblems() {
    return problems;
  }

  public void setProblems(List<String> problems) {
    this.problems = problems;
  }

  public Integer getAttempts() {
    return attempts;
  }

  public void setAttempts(Integer attempts) {
    this.attempts = attempts;
  }

  public String getJob() {
    return job;
  }

  public void setJob(String job) {
    this.job = job;
  }

  public String getStartedAt() {
    return startedAt;
  }

  public void setStartedAt(String startedAt) {
    this.startedAt = startedAt;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }
}
