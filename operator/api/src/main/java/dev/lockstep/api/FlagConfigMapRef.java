package dev.lockstep.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

/** Reference to a ConfigMap key that holds flagd JSON. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FlagConfigMapRef {

  @JsonPropertyDescription("Name of the ConfigMap.")
  @Required
  private String name;

  @JsonPropertyDescription("Key that holds the flagd JSON.")
  @Default("flags.flagd.json")
  private String key = "flags.flagd.json";

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }
}
