package dev.lockstep.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** A change to one feature flag. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FlagChange {

  @JsonPropertyDescription("Key of the flag in the flag source.")
  @Required
  private String flag;

  @JsonPropertyDescription("Variant to serve.")
  @Required
  private String variant;

  @JsonPropertyDescription("Serve the variant to this share of targeting keys (1-100) and the previous variant to the rest.")
  @Min(1)
  @Max(100)
  private Integer percent;

  public String getFlag() {
    return flag;
  }

  public void setFlag(String flag) {
    this.flag = flag;
  }

  public String getVariant() {
    return variant;
  }

  public void setVariant(String variant) {
    this.variant = variant;
  }

  public Integer getPercent() {
    return percent;
  }

  public void setPercent(Integer percent) {
    this.percent = percent;
  }
}
