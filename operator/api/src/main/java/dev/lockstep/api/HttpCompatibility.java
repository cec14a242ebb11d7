package dev.lockstep.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** HTTP compatibility endpoint of a pod. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HttpCompatibility {

  @JsonPropertyDescription("Container port that serves the endpoint.")
  @Required
  @Min(1)
  @Max(65535)
  private Integer port;

  @JsonPropertyDescription("Path of the endpoint.")
  @Default("/lockstep/compat")
  private String path = "/lockstep/compat";

  public Integer getPort() {
    return port;
  }

  public void setPort(Integer port) {
    this.port = port;
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }
}
