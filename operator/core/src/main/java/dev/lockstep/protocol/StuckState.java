package dev.lockstep.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Something left in the database that keeps migrations from going on until a person repairs it,
 * as a runner found it: typed, so that the operator never parses a sentence.
 *
 * <p>Only the fields of its {@link Kind} are set; the rest stay absent from the JSON.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class StuckState {

  /** What is stuck. */
  public enum Kind {
    /** A row of flyway_schema_history with {@code success = false}: Flyway refuses every later run. */
    FAILED_MIGRATION,
    /** Flyway's advisory lock, held by another session. */
    HELD_LOCK,
    /** An index with {@code indisvalid = false} that no session is building: a failed concurrent build. */
    INVALID_INDEX
  }

  private Kind kind;
  /** FAILED_MIGRATION: the version of the failed row (null for a repeatable script). */
  private String version;
  /** FAILED_MIGRATION: the script of the failed row. */
  private String script;
  /** INVALID_INDEX: the index, schema-qualified. */
  private String index;
  /** INVALID_INDEX: the table it is on. */
  private String table;
  /** HELD_LOCK: the backend pid of the session that holds the lock. */
  private Integer pid;
  /** HELD_LOCK: that session's application_name (the runner sets "lockstep migrate"). */
  private String applicationName;
  /** HELD_LOCK: how long that session has been connected, in seconds. */
  private Long ageSeconds;

  public StuckState() {}

  public static StuckState failedMigration(String version, String script) {
    StuckState state = new StuckState();
    state.kind = Kind.FAILED_MIGRATION;
    state.version = version;
    state.script = script;
    return state;
  }

  public static StuckState heldLock(int pid, String applicationName, long ageSeconds) {
    StuckState state = new StuckState();
    state.kind = Kind.HELD_LOCK;
    state.pid = pid;
    state.applicationName = applicationName;
    state.ageSeconds = ageSeconds;
    return state;
  }

  public static StuckState invalidIndex(String index, String table) {
    StuckState state = new StuckState();
    state.kind = Kind.INVALID_INDEX;
    state.index = index;
    state.table = table;
    return state;
  }

  /** One sentence for a person: what is wrong. */
  public String describe() {
    return switch (kind) {
      case FAILED_MIGRATION -> (script == null ? "a migration" : script)
          + (version == null ? "" : " (version " + version + ")")
          + " failed half-way outside a transaction; its row in flyway_schema_history is marked failed";
      case HELD_LOCK -> "Flyway's advisory lock is held by session " + pid
          + (applicationName == null || applicationName.isEmpty() ? "" : " (" + applicationName + ")")
          + ", connected " + ageSeconds + "s ago";
      case INVALID_INDEX -> "the index " + index + (table == null ? "" : " on " + table)
          + " is invalid (a failed concurrent build)";
    };
  }

  public Kind getKind() {
    return kind;
  }

  public void setKind(Kind kind) {
    this.kind = kind;
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

  public String getIndex() {
    return index;
  }

  public void setIndex(String index) {
    this.index = index;
  }

  public String getTable() {
    return table;
  }

  public void setTable(String table) {
    this.table = table;
  }

  public Integer getPid() {
    return pid;
  }

  public void setPid(Integer pid) {
    this.pid = pid;
  }

  public String getApplicationName() {
    return applicationName;
  }

  public void setApplicationName(String applicationName) {
    this.applicationName = applicationName;
  }

  public Long getAgeSeconds() {
    return ageSeconds;
  }

  public void setAgeSeconds(Long ageSeconds) {
    this.ageSeconds = ageSeconds;
  }
}
