package dev.lockstep.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Reference to an OpenFeature Operator FeatureFlag resource. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FeatureFlagRef {

  @JsonPropertyDescription("Name of the FeatureFlag.")
  @Required
  private String name;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }
}
