package dev.lockstep.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** Compatibility read from the pod annotation lockstep.dev/schema-compat. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AnnotationCompatibility {

  @JsonPropertyDescription("Annotation key to read.")
  @Default("lockstep.dev/schema-compat")
  private String key = "lockstep.dev/schema-compat";

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }
}
