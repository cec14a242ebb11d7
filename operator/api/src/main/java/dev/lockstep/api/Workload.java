package dev.lockstep.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** An application that uses the database. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Workload {

  @JsonPropertyDescription("Kind of the workload.")
  @Required
  private WorkloadKind kind;

  @JsonPropertyDescription("Name of the Deployment or StatefulSet in the same namespace.")
  @Required
  private String name;

  @JsonPropertyDescription("How each pod says which schema versions it supports. Without it, only readiness is checked.")
  private Compatibility compatibility;

  public WorkloadKind getKind() {
    return kind;
  }

  public void setKind(WorkloadKind kind) {
    this.kind = kind;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Compatibility getCompatibility() {
    return compatibility;
  }

  public void setCompatibility(Compatibility compatibility) {
    this.compatibility = compatibility;
  }
}
