package dev.lockstep.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Reference to a Secret in the same namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretRef {

  @JsonPropertyDescription("Name of the Secret.")
  @Required
  private String name;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }
}
