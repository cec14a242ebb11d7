package dev.lockstep.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Map;

/** What the operator has observed and done. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SchemaMigrationStatus {

  @JsonPropertyDescription("The generation of the spec this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Where the migration is in its life.")
  private Phase phase;

  @JsonPropertyDescription("The step that runs now, or ran last.")
  private String currentStep;

  @JsonPropertyDescription("Flyway version of the database as last reported by a runner Job.")
  private String schemaVersion;

  @JsonPropertyDescription("Since when the Prometheus guard has been out of bounds (RFC 3339), while it is.")
  private String guardBreachSince;

  @JsonPropertyDescription("Consecutive checks that found a guard breached; a rollback needs several, so one slow probe is not a breach.")
  private Integer guardBreachChecks;

  @JsonPropertyDescription("When the current run of checks that found a guard breached began (RFC 3339).")
  private String guardBreachFirstSeen;

  @JsonPropertyDescription("Human-readable summary of the phase.")
  private String message;

  @JsonPropertyDescription("Why the rollback started: the failed step, the breached guard or the abort annotation.")
  private String rollbackReason;

  @JsonPropertyDescription("What started the rollback (cause) and from which step, while rolling back and after.")
  private RollbackStatus rollback;

  @JsonPropertyDescription("Set while the phase is Failed: why (the Ready condition's reason), which step, and what went wrong.")
  private Failure failure;

  @JsonPropertyDescription("One entry per step, in spec order.")
  private List<StepStatus> steps;

  @JsonPropertyDescription("Feature flags changed by this migration.")
  private Map<String, FlagStatus> flags;

  @JsonPropertyDescription("Risk classification of the migration scripts.")
  private RiskReport risk;

  @JsonPropertyDescription("What the inspection Job found in the scripts image (scripts from an image only), kept so it runs once per image.")
  private InspectedScripts inspectedScripts;

  @JsonPropertyDescription("What a failed step left that only a repair clears (annotation lockstep.dev/repair), while it does.")
  private RepairStatus repair;

  @JsonPropertyDescription("kstatus-style conditions: Ready, Reconciling, Stalled, and NeedsRepair while a repair is needed.")
  private List<io.fabric8.kubernetes.api.model.Condition> conditions;

  public InspectedScripts getInspectedScripts() {
    return inspectedScripts;
  }

  public void setInspectedScripts(InspectedScripts inspectedScripts) {
    this.inspectedScripts = inspectedScripts;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public Phase getPhase() {
    return phase;
  }

  public void setPhase(Phase phase) {
    this.phase = phase;
  }

  public String getCurrentStep() {
    return currentStep;
  }

  public void setCurrentStep(String currentStep) {
    this.currentStep = currentStep;
  }

  public String getSchemaVersion() {
    return schemaVersion;
  }

  public void setSchemaVersion(String schemaVersion) {
    this.schemaVersion = schemaVersion;
  }

  public String getGuardBreachSince() {
    return guardBreachSince;
  }

  public void setGuardBreachSince(String guardBreachSince) {
    this.guardBreachSince = guardBreachSince;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getRollbackReason() {
    return rollbackReason;
  }

  public void setRollbackReason(String rollbackReason) {
    this.rollbackReason = rollbackReason;
  }

  public RollbackStatus getRollback() {
    return rollback;
  }

  public void setRollback(RollbackStatus rollback) {
    this.rollback = rollback;
  }

  public Failure getFailure() {
    return failure;
  }

  public void setFailure(Failure failure) {
    this.failure = failure;
  }

  public List<StepStatus> getSteps() {
    return steps;
  }

  public void setSteps(List<StepStatus> steps) {
    this.steps = steps;
  }

  public Map<String, FlagStatus> getFlags() {
    return flags;
  }

  public void setFlags(Map<String, FlagStatus> flags) {
    this.flags = flags;
  }

  public RiskReport getRisk() {
    return risk;
  }

  public void setRisk(RiskReport risk) {
    this.risk = risk;
  }

  public List<io.fabric8.kubernetes.api.model.Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<io.fabric8.kubernetes.api.model.Condition> conditions) {
    this.conditions = conditions;
  }

  public RepairStatus getRepair() {
    return repair;
  }

  public void setRepair(RepairStatus repair) {
    this.repair = repair;
  }

  public Integer getGuardBreachChecks() {
    return guardBreachChecks;
  }

  public void setGuardBreachChecks(Integer guardBreachChecks) {
    this.guardBreachChecks = guardBreachChecks;
  }

  public String getGuardBreachFirstSeen() {
    return guardBreachFirstSeen;
  }

  public void setGuardBreachFirstSeen(String guardBreachFirstSeen) {
    this.guardBreachFirstSeen = guardBreachFirstSeen;
  }
}
