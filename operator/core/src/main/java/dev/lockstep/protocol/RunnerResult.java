package dev.lockstep.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.api.InspectedScripts;
import java.nio.charset.StandardCharsets;
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
  /** Flyway version before the command ran; absent (null) when no versioned migration is applied. */
  private String versionBefore;
  /** Flyway version after the command ran; absent (null) when no versioned migration is applied. */
  private String versionAfter;
  /** Scripts applied (migrate) or undone (undo), in the order they ran. */
  private List<AppliedScript> scripts = new ArrayList<>();
  /** Retries after a lock conflict: lock_timeout (SQLSTATE 55P03) or a deadlock (40P01). */
  private int lockRetries;
  /** Time lost to those conflicts, in milliseconds: the failed attempts plus the backoff before each retry. */
  private long lockWaitMillis;
  /** Runs made again on a new connection after the connection to the database was lost; absent when none. */
  private Integer reconnects;
  /** Rows changed (backfill), over all runs of its checkpoint. */
  private Long rows;
  /** Batches committed (backfill), over all runs of its checkpoint. */
  private Long batches;
  /** The slowest committed batch, in milliseconds (backfill). */
  private Long longestBatchMillis;
  /** The median batch of this run, in milliseconds (backfill). */
  private Long batchMillisP50;
  /** The 99th-percentile batch of this run, in milliseconds (backfill). */
  private Long batchMillisP99;
  /** Time this run waited for its throttle, in milliseconds (backfill with a throttle that held it back). */
  private Long throttledMillis;
  /** Scripts left out of {@link #scripts} (the oldest ones) to keep the message within {@link #MAX_BYTES}. */
  private Integer scriptsOmitted;
  /** Things the operator should know although the command did its work, one line each. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  private List<String> warnings = new ArrayList<>();
  /**
   * What the runner found left in the database that only a repair clears (a failed history row, a
   * held Flyway lock, an invalid index). Set when the command failed because of them, or found them
   * when it started; absent when none.
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  private List<StuckState> stuck = new ArrayList<>();
  /**
   * True when the runner stopped because it was asked to (SIGTERM: its pod was deleted) before its
   * work was done; what it committed stays, and a new run continues from it (a backfill from its
   * checkpoint). Absent otherwise.
   */
  private Boolean interrupted;
  /** Wall time of the whole command, in milliseconds. */
  private long millis;
  /** One line that says what went wrong; null when ok. */
  private String error;
  /** What {@code inspect} found in the scripts directory: files, checksums, static findings. */
  private InspectedScripts inspection;

  public static RunnerResult parse(String json) {
    try {
      return JSON.readValue(json, RunnerResult.class);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("runner result is not valid JSON: " + e.getMessage(), e);
    }
  }

  /**
   * The JSON of this result cut to at most {@link #MAX_BYTES} bytes: the error line is shortened
   * first, then the oldest scripts are left out (and counted in {@code scriptsOmitted}), then the
   * warnings, then the stuck states beyond the first, so that the operator always receives valid JSON.
   */
  public String toTerminationMessage() {
    String json = toJson();
    if (fits(json)) {
      return json;
    }
    if (error != null) {
      int overflow = utf8Length(json) - MAX_BYTES;
      error = shorten(error, Math.max(80, utf8Length(error) - overflow - 3));
      json = toJson();
    }
    while (!fits(json) && !scripts.isEmpty()) {
      scripts.remove(0);
      scriptsOmitted = scriptsOmitted == null ? 1 : scriptsOmitted + 1;
      json = toJson();
    }
    while (!fits(json) && !warnings.isEmpty()) {
      warnings.remove(warnings.size() - 1);
      json = toJson();
    }
    while (!fits(json) && stuck.size() > 1) {
      stuck.remove(stuck.size() - 1);
      json = toJson();
    }
    return json;
  }

  /** Whether this result's JSON fits in a termination message as it is, nothing left out. */
  public boolean fitsWhole() {
    return fits(toJson());
  }

  /** The size of this result's JSON in UTF-8 bytes. */
  public int jsonBytes() {
    return utf8Length(toJson());
  }

  public InspectedScripts getInspection() {
    return inspection;
  }

  public void setInspection(InspectedScripts inspection) {
    this.inspection = inspection;
  }

  private static boolean fits(String json) {
    return utf8Length(json) <= MAX_BYTES;
  }

  private static int utf8Length(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }

  /** Cuts {@code text} to at most {@code maxBytes} UTF-8 bytes (whole characters) and marks the cut. */
  private static String shorten(String text, int maxBytes) {
    StringBuilder kept = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < text.length(); i += Character.charCount(text.codePointAt(i))) {
      int codePoint = text.codePointAt(i);
      int size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
      if (bytes + size > maxBytes) {
        break;
      }
      kept.appendCodePoint(codePoint);
      bytes += size;
    }
    return kept + "...";
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

  public Integer getReconnects() {
    return reconnects;
  }

  public void setReconnects(Integer reconnects) {
    this.reconnects = reconnects;
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

  public Long getLongestBatchMillis() {
    return longestBatchMillis;
  }

  public void setLongestBatchMillis(Long longestBatchMillis) {
    this.longestBatchMillis = longestBatchMillis;
  }

  public Long getBatchMillisP50() {
    return batchMillisP50;
  }

  public void setBatchMillisP50(Long batchMillisP50) {
    this.batchMillisP50 = batchMillisP50;
  }

  public Long getBatchMillisP99() {
    return batchMillisP99;
  }

  public void setBatchMillisP99(Long batchMillisP99) {
    this.batchMillisP99 = batchMillisP99;
  }

  public Long getThrottledMillis() {
    return throttledMillis;
  }

  public void setThrottledMillis(Long throttledMillis) {
    this.throttledMillis = throttledMillis;
  }

  public Integer getScriptsOmitted() {
    return scriptsOmitted;
  }

  public void setScriptsOmitted(Integer scriptsOmitted) {
    this.scriptsOmitted = scriptsOmitted;
  }

  public List<String> getWarnings() {
    return warnings;
  }

  public void setWarnings(List<String> warnings) {
    this.warnings = warnings;
  }

  public List<StuckState> getStuck() {
    return stuck;
  }

  public void setStuck(List<StuckState> stuck) {
    this.stuck = stuck;
  }

  public long getMillis() {
    return millis;
  }

  public void setMillis(long millis) {
    this.millis = millis;
  }

  public Boolean getInterrupted() {
    return interrupted;
  }

  public void setInterrupted(Boolean interrupted) {
    this.interrupted = interrupted;
  }

  public String getError() {
    return error;
  }

  public void setError(String error) {
    this.error = error;
  }
}
