package dev.lockstep.world.cluster;

import dev.lockstep.world.KubernetesWorld;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * The OpenFeature Operator's resources as the test world knows them: {@code FeatureFlag} (the flags)
 * and {@code FeatureFlagSource} (which FeatureFlags a pod's flagd sidecar serves), both {@code
 * core.openfeature.dev/v1beta1}.
 */
public final class OpenFeatureResources {

  public static final ResourceDefinitionContext FEATURE_FLAG = context("FeatureFlag", "featureflags");
  public static final ResourceDefinitionContext FEATURE_FLAG_SOURCE =
      context("FeatureFlagSource", "featureflagsources");

  private static final String FEATURE_FLAG_CRD = "openfeature/featureflags.core.openfeature.dev.yml";
  private static final String FEATURE_FLAG_SOURCE_CRD = "openfeature/featureflagsources.core.openfeature.dev.yml";

  private OpenFeatureResources() {}

  /**
   * Installs the two CRDs, as installing the OpenFeature Operator does: from then on the world's API
   * serves both kinds, discovery included, so that manifests holding them can be applied as they are.
   */
  public static void installCrds(KubernetesWorld world) {
    world.applyCrdFromClasspath(FEATURE_FLAG_CRD);
    world.applyCrdFromClasspath(FEATURE_FLAG_SOURCE_CRD);
  }

  private static ResourceDefinitionContext context(String kind, String plural) {
    return new ResourceDefinitionContext.Builder()
        .withGroup("core.openfeature.dev")
        .withVersion("v1beta1")
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(true)
        .build();
  }
}
