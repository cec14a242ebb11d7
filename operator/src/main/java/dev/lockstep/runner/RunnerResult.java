package dev.lockstep.runner;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * What a runner Job reports back to the operator, as JSON in its termination message.
 *
 * <p>Kubernetes keeps at most 4096 bytes of a termination message, so the result is small: figures
 * and one error line, never script text, never credentials.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class RunnerResult {

  /** Kubernetes truncates termination messages beyond this many bytes. */
  public static final int MAX_BYTES = 4096;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The subcommand that ran: migrate, undo or backfill. */
  private String command;
  /** Whether the command did all it was asked to. */
  private boolean ok;
  /** Flyway version before the command ran ("0" or null for an empty database). */
  private String versionBefore;
  /** Flyway version after the command ran. */
  private String versionAfter;
  /** Scripts applied (migrate) or undone (undo), in the order they ran. */
  private List<AppliedScript> scripts = new ArrayList<>();
  /** Statements retried after hitting lock_timeout (SQLSTATE 55P03). */
  private int lockRetries;
  /** Time spent waiting before those retries, in milliseconds. */
  private long lockWaitMillis;
  /** Rows changed (backfill). */
  private Long rows;
  /** Batches committed (backfill). */
  private Long batches;
  /** Wall time of the whole command, in milliseconds. */
  private long millis;
  /** One line that says what went wrong; null when ok. */
  private String error;

  public static RunnerResult parse(String json) {
    try {
      return JSON.readValue(json, RunnerResult.class);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("runner result is not valid JSON: " + e.getMessage(), e);
    }
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One script a runner applied or undid. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class AppliedScript {
    private String version;
    private String script;
    private long millis;

    public AppliedScript() {}

    public AppliedScript(String version, String script, long millis) {
      this.version = version;
      this.script = script;
      this.millis = millis;
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

    public long getMillis() {
      return millis;
    }

    public void setMillis(long millis) {
      this.millis = millis;
    }
  }

  public String getCommand() {
    return command;
  }

  public void setCommand(String command) {
    this.command = command;
  }

  public boolean isOk() {
    return ok;
  }

  public void setOk(boolean ok) {
    this.ok = ok;
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

  public List<AppliedScript> getScripts() {
    return scripts;
  }

  public void setScripts(List<AppliedScript> scripts) {
    this.scripts = scripts;
  }

  public int getLockRetries() {
    return lockRetries;
  }

  public void setLockRetries(int lockRetries) {
    this.lockRetries = lockRetries;
  }

  public long getLockWaitMillis() {
    return lockWaitMillis;
  }

  public void setLockWaitMillis(long lockWaitMillis) {
    this.lockWaitMillis = lockWaitMillis;
  }

  public Long getRows() {
    return rows;
  }

  public void setRows(Long rows) {
    this.rows = rows;
  }

  public Long getBatches() {
    return batches;
  }

  public void setBatches(Long batches) {
    this.batches = batches;
  }

  public long getMillis() {
    return millis;
  }

  public void setMillis(long millis) {
    this.millis = millis;
  }

  public String getError() {
    return error;
  }

  public void setError(String error) {
    this.error = error;
  }
}
