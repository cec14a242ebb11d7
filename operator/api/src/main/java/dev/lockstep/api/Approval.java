package dev.lockstep.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether a step waits for a person before it starts. */
public enum Approval {
  @JsonProperty("required")
  REQUIRED,
  @JsonProperty("none")
  NONE
}
