package dev.lockstep.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** Where feature flags are defined. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.featureFlag) != has(self.configMap)", message = "set exactly one of featureFlag and configMap")
public class FlagSource {

  @JsonPropertyDescription("An OpenFeature Operator FeatureFlag resource (core.openfeature.dev) in the same namespace.")
  private FeatureFlagRef featureFlag;

  @JsonPropertyDescription("A ConfigMap holding flagd JSON.")
  private FlagConfigMapRef configMap;

  public FeatureFlagRef getFeatureFlag() {
    return featureFlag;
  }

  public void setFeatureFlag(FeatureFlagRef featureFlag) {
    this.featureFlag = featureFlag;
  }

  public FlagConfigMapRef getConfigMap() {
    return configMap;
  }

  public void setConfigMap(FlagConfigMapRef configMap) {
    this.configMap = configMap;
  }
}
