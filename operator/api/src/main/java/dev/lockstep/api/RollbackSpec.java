package dev.lockstep.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** Rollback behaviour. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RollbackSpec {

  @JsonPropertyDescription("Automatic rolls completed steps back in reverse; Manual stops and waits for a person.")
  @Default("Automatic")
  private RollbackPolicy policy;

  public RollbackPolicy getPolicy() {
    return policy;
  }

  public void setPolicy(RollbackPolicy policy) {
    this.policy = policy;
  }
}
