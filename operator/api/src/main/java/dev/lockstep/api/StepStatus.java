package dev.lockstep.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Progress of one step. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StepStatus {

  @JsonPropertyDescription("Name of the step.")
  private String name;

  @JsonPropertyDescription("State of the step.")
  private StepState state;

  @JsonPropertyDescription("When the current attempt started (RFC 3339).")
  private String startedAt;

  @JsonPropertyDescription("When the step finished (RFC 3339).")
  private String finishedAt;

  @JsonPropertyDescription("Attempts made so far.")
  private Integer attempts;

  @JsonPropertyDescription("Name of the Job of the current attempt.")
  private String job;

  @JsonPropertyDescription("Name of the Job that undid the step, if one ran.")
  private String undoJob;

  @JsonPropertyDescription("Attempts made so far to undo the step; each runs its own Job.")
  private Integer undoAttempts;

  @JsonPropertyDescription("Times the step's Job was interrupted (its pod terminated) and a new attempt continued"
      + " from the backfill's checkpoint; bounded, then the step fails.")
  private Integer interruptions;

  @JsonPropertyDescription("When the current attempt to undo the step started (RFC 3339); its timeout counts from here.")
  private String undoStartedAt;

  @JsonPropertyDescription("What happened, in a sentence.")
  private String message;

  @JsonPropertyDescription("Since when a wait step's Prometheus condition has held (RFC 3339); the window survives restarts.")
  private String holdingSince;

  @JsonPropertyDescription("What the step waits for while it waits: each gate, what holds it and since when.")
  private java.util.List<StepHold> waitingFor;

  @JsonPropertyDescription("Progress of a running step, for example 10000/52000 rows.")
  private String progress;

  @JsonPropertyDescription("Hash of the step spec when it started; a completed step whose spec changes is reported, never re-run.")
  private String specHash;

  @JsonPropertyDescription("Schema version before a migrate step ran.")
  private String versionBefore;

  @JsonPropertyDescription("Schema version after a migrate step ran.")
  private String versionAfter;

  @JsonPropertyDescription("Statements retried after hitting the lock timeout.")
  private Integer lockRetries;

  @JsonPropertyDescription("Time lost to lock-timeout retries (failed attempts and backoff), in milliseconds.")
  private Long lockWaitMillis;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public StepState getState() {
    return state;
  }

  public void setState(StepState state) {
    this.state = state;
  }

  public String getStartedAt() {
    return startedAt;
  }

  public void setStartedAt(String startedAt) {
    this.startedAt = startedAt;
  }

  public String getFinishedAt() {
    return finishedAt;
  }

  public void setFinishedAt(String finishedAt) {
    this.finishedAt = finishedAt;
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

  public String getUndoJob() {
    return undoJob;
  }

  public void setUndoJob(String undoJob) {
    this.undoJob = undoJob;
  }

  public Integer getUndoAttempts() {
    return undoAttempts;
  }

  public void setUndoAttempts(Integer undoAttempts) {
    this.undoAttempts = undoAttempts;
  }

  public Integer getInterruptions() {
    return interruptions;
  }

  public void setInterruptions(Integer interruptions) {
    this.interruptions = interruptions;
  }

  public String getUndoStartedAt() {
    return undoStartedAt;
  }

  public void setUndoStartedAt(String undoStartedAt) {
    this.undoStartedAt = undoStartedAt;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getHoldingSince() {
    return holdingSince;
  }

  public void setHoldingSince(String holdingSince) {
    this.holdingSince = holdingSince;
  }

  public String getProgress() {
    return progress;
  }

  public void setProgress(String progress) {
    this.progress = progress;
  }

  public String getSpecHash() {
    return specHash;
  }

  public void setSpecHash(String specHash) {
    this.specHash = specHash;
  }

  public String getVersionBefore() {
    return versionBefore;
  }

  public void setVersionBefore(String versionBefore) {
    this.versionBefore = versionBefore;
  }

  public String getVersionAfter() {
    return versionAfter;
  }

  public void setVersionAfter(String versionAfter) {
    this.versionAfter = versionAfter;
  }

  public Integer getLockRetries() {
    return lockRetries;
  }

  public void setLockRetries(Integer lockRetries) {
    this.lockRetries = lockRetries;
  }

  public Long getLockWaitMillis() {
    return lockWaitMillis;
  }

  public void setLockWaitMillis(Long lockWaitMillis) {
    this.lockWaitMillis = lockWaitMillis;
  }

  public java.util.List<StepHold> getWaitingFor() {
    return waitingFor;
  }

  public void setWaitingFor(java.util.List<StepHold> waitingFor) {
    this.waitingFor = waitingFor;
  }
}
