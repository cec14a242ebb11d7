package dev.lockstep.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

/** Container image that holds the Flyway scripts. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ScriptsImage {

  @JsonPropertyDescription("Image reference, for example registry.example.com/orders-migrations:1.4.0.")
  @Required
  private String name;

  @JsonPropertyDescription("Directory in the image that holds the scripts.")
  @Default("/migrations")
  private String path = "/migrations";

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }
}
