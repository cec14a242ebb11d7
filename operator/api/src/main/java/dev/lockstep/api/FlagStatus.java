package dev.lockstep.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A feature flag changed by this migration. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FlagStatus {

  @JsonPropertyDescription("Variant now served.")
  private String variant;

  @JsonPropertyDescription("Variant served before the migration changed the flag.")
  private String previous;

  @JsonPropertyDescription("Share of targeting keys served the variant.")
  private Integer percent;

  @JsonPropertyDescription("Share of synthetic targeting keys that evaluated to the variant after the write.")
  private Double observedShare;

  @JsonPropertyDescription("When the flag was read back (RFC 3339).")
  private String observedAt;

  @JsonPropertyDescription("The whole flag definition before the first write, as JSON, restored exactly on rollback.")
  private String previousDefinition;

  @JsonPropertyDescription("Set when the migration succeeded with the flag serving its variant to all traffic: the application can stop reading it.")
  private Boolean removableFromCode;

  public String getVariant() {
    return variant;
  }

  public void setVariant(String variant) {
    this.variant = variant;
  }

  public String getPrevious() {
    return previous;
  }

  public void setPrevious(String previous) {
    this.previous = previous;
  }

  public Integer getPercent() {
    return percent;
  }

  public void setPercent(Integer percent) {
    this.percent = percent;
  }

  public Double getObservedShare() {
    return observedShare;
  }

  public void setObservedShare(Double observedShare) {
    this.observedShare = observedShare;
  }

  public String getObservedAt() {
    return observedAt;
  }

  public void setObservedAt(String observedAt) {
    this.observedAt = observedAt;
  }

  public String getPreviousDefinition() {
    return previousDefinition;
  }

  public void setPreviousDefinition(String previousDefinition) {
    this.previousDefinition = previousDefinition;
  }

  public Boolean getRemovableFromCode() {
    return removableFromCode;
  }

  public void setRemovableFromCode(Boolean removableFromCode) {
    this.removableFromCode = removableFromCode;
  }
}
