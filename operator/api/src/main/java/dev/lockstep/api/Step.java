package dev.lockstep.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One step of a migration. Exactly one of migrate, backfill, flags and wait. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "(has(self.migrate) ? 1 : 0) + (has(self.backfill) ? 1 : 0) + (has(self.flags) ? 1 : 0) + (has(self.wait) ? 1 : 0) == 1", message = "a step has exactly one of migrate, backfill, flags and wait")
public class Step {

  @JsonPropertyDescription("Name of the step, unique in the migration; used in Job names, annotations and status.")
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @Size(max = 30)
  private String name;

  @JsonPropertyDescription("required holds the step until the annotation lockstep.dev/approve: <step> is set.")
  private Approval approval;

  @JsonPropertyDescription("Time limit of this step, for example 15m. Overrides spec.timeouts.step.")
  @Pattern("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$")
  private String timeout;

  @JsonPropertyDescription("Run the Flyway scripts up to a version, in a Job.")
  private MigrateStep migrate;

  @JsonPropertyDescription("Change existing rows in batches, in a Job.")
  private BackfillStep backfill;

  @JsonPropertyDescription("Set feature flag variants, optionally for a share of traffic.")
  @Size(min = 1)
  private List<FlagChange> flags;

  @JsonPropertyDescription("Wait until conditions hold.")
  @JsonProperty("wait")
  private WaitStep waitFor;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Approval getApproval() {
    return approval;
  }

  public void setApproval(Approval approval) {
    this.approval = approval;
  }

  public String getTimeout() {
    return timeout;
  }

  public void setTimeout(String timeout) {
    this.timeout = timeout;
  }

  public MigrateStep getMigrate() {
    return migrate;
  }

  public void setMigrate(MigrateStep migrate) {
    this.migrate = migrate;
  }

  public BackfillStep getBackfill() {
    return backfill;
  }

  public void setBackfill(BackfillStep backfill) {
    this.backfill = backfill;
  }

  public List<FlagChange> getFlags() {
    return flags;
  }

  public void setFlags(List<FlagChange> flags) {
    this.flags = flags;
  }

  public WaitStep getWaitFor() {
    return waitFor;
  }

  public void setWaitFor(WaitStep waitFor) {
    this.waitFor = waitFor;
  }

  /**
   * Fields this version of the API does not define. The API server prunes them (the CRD does not
   * preserve unknown fields), so in a cluster this is empty; the validator refuses a step with a field
   * no step kind claims. It lets a step kind registered outside the API classes (an extension, or a
   * test) carry its spec in the test world.
   */
  @JsonIgnore
  private final Map<String, Object> otherFields = new LinkedHashMap<>();

  @JsonAnySetter
  public void setOtherField(String field, Object value) {
    otherFields.put(field, value);
  }

  // Ignored by the CRD generator (it would make it a property), still written by Jackson.
  @JsonIgnore
  @JsonAnyGetter
  public Map<String, Object> getOtherFields() {
    return otherFields;
  }

  /**
   * The fields that select a kind, with their values, in the order written: the four kinds of the API
   * and any other field. A valid step has exactly one; which handler runs it is the step handlers'
   * business, not the API's.
   */
  @JsonIgnore
  public Map<String, Object> kindFields() {
    Map<String, Object> fields = new LinkedHashMap<>();
    putIfSet(fields, "migrate", migrate);
    putIfSet(fields, "backfill", backfill);
    putIfSet(fields, "flags", flags);
    putIfSet(fields, "wait", waitFor);
    fields.putAll(otherFields);
    return fields;
  }

  private static void putIfSet(Map<String, Object> fields, String field, Object value) {
    if (value != null) {
      fields.put(field, value);
    }
  }

}
