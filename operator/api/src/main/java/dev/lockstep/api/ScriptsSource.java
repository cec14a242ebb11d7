package dev.lockstep.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** Source of the Flyway SQL scripts. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.configMapRef) != has(self.image)", message = "set exactly one of configMapRef and image")
public class ScriptsSource {

  @JsonPropertyDescription("ConfigMap whose keys are script file names (V2__add_column.sql) and whose values are the SQL.")
  private ConfigMapRef configMapRef;

  @JsonPropertyDescription("Container image that holds the scripts; an init container copies them out.")
  private ScriptsImage image;

  public ConfigMapRef getConfigMapRef() {
    return configMapRef;
  }

  public void setConfigMapRef(ConfigMapRef configMapRef) {
    this.configMapRef = configMapRef;
  }

  public ScriptsImage getImage() {
    return image;
  }

  public void setImage(ScriptsImage image) {
    this.image = image;
  }
}
