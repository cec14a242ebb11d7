package dev.lockstep.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** What a SchemaMigration should do: the database, the scripts, and the ordered steps. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SchemaMigrationSpec {

  @JsonPropertyDescription("The database this migration changes. Two migrations of one database never run at the same time.")
  @Required
  private DatabaseRef database;

  @JsonPropertyDescription("Where the Flyway scripts come from (V<version>__name.sql, U<version>__name.sql for undo). Exactly one source.")
  @Required
  private ScriptsSource scripts;

  @JsonPropertyDescription("Every application that uses the database. Their readiness and the schema versions their pods support gate the steps.")
  private List<Workload> workloads;

  @JsonPropertyDescription("Where the feature flags that flags steps change are defined. Exactly one source.")
  private FlagSource flagSource;

  @JsonPropertyDescription("Other SchemaMigrations in this namespace that must have Succeeded before this one starts.")
  private List<String> dependsOn;

  @JsonPropertyDescription("The ordered steps. Each step does one thing: migrate, backfill, flags or wait.")
  @Required
  @Size(min = 1, max = 50)
  @ValidationRule(value = "self.all(s, self.exists_one(t, t.name == s.name))", message = "step names must be unique")
  private List<Step> steps;

  @JsonPropertyDescription("Conditions checked all the time while steps run. A breach starts a rollback.")
  private Guards guards;

  @JsonPropertyDescription("What happens when a step fails or a guard is breached.")
  private RollbackSpec rollback;

  @JsonPropertyDescription("Time limits that apply to every step unless the step sets its own.")
  private Timeouts timeouts;

  public DatabaseRef getDatabase() {
    return database;
  }

  public void setDatabase(DatabaseRef database) {
    this.database = database;
  }

  public ScriptsSource getScripts() {
    return scripts;
  }

  public void setScripts(ScriptsSource scripts) {
    this.scripts = scripts;
  }

  public List<Workload> getWorkloads() {
    return workloads;
  }

  public void setWorkloads(List<Workload> workloads) {
    this.workloads = workloads;
  }

  public FlagSource getFlagSource() {
    return flagSource;
  }

  public void setFlagSource(FlagSource flagSource) {
    this.flagSource = flagSource;
  }

  public List<String> getDependsOn() {
    return dependsOn;
  }

  public void setDependsOn(List<String> dependsOn) {
    this.dependsOn = dependsOn;
  }

  public List<Step> getSteps() {
    return steps;
  }

  public void setSteps(List<Step> steps) {
    this.steps = steps;
  }

  public Guards getGuards() {
    return guards;
  }

  public void setGuards(Guards guards) {
    this.guards = guards;
  }

  public RollbackSpec getRollback() {
    return rollback;
  }

  public void setRollback(RollbackSpec rollback) {
    this.rollback = rollback;
  }

  public Timeouts getTimeouts() {
    return timeouts;
  }

  public void setTimeouts(Timeouts timeouts) {
    this.timeouts = timeouts;
  }
}
