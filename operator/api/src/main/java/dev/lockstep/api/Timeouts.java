package dev.lockstep.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** Default time limits. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Timeouts {

  @JsonPropertyDescription("Time limit of each step, for example 15m.")
  @Pattern("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$")
  @Default("15m")
  private String step = "15m";

  public String getStep() {
    return step;
  }

  public void setStep(String step) {
    this.step = step;
  }
}
