package dev.lockstep.flags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.FeatureFlagRef;
import dev.lockstep.api.FlagConfigMapRef;
import dev.lockstep.api.FlagSource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class FlagStoresTest {

  // Opening a store makes no request, so a client that could reach no server is enough.
  private static final KubernetesClient CLIENT = new KubernetesClientBuilder().build();

  @AfterAll
  static void close() {
    CLIENT.close();
  }

  @Test
  void opensTheStoreTheSourceNames() {
    assertThat(FlagStores.forSource(CLIENT, "orders", FlagFixtures.featureFlagSource("orders-flags")).description())
        .isEqualTo("FeatureFlag orders-flags");
    assertThat(FlagStores.forSource(CLIENT, "orders", FlagFixtures.configMapSource("orders-flags", null)).description())
        .isEqualTo("ConfigMap orders-flags key flags.flagd.json");
    assertThat(FlagStores.forSource(CLIENT, "orders", FlagFixtures.configMapSource("orders-flags", "app.json")).description())
        .isEqualTo("ConfigMap orders-flags key app.json");
  }

  @Test
  void refusesAMissingOrAmbiguousSource() {
    FlagSource both = FlagFixtures.featureFlagSource("a");
    both.setConfigMap(new FlagConfigMapRef());
    FlagSource unnamed = new FlagSource();
    unnamed.setFeatureFlag(new FeatureFlagRef());

    assertThatThrownBy(() -> FlagStores.forSource(CLIENT, "orders", null))
        .isInstanceOf(FlagException.class)
        .hasMessage("spec.flagSource is not set; flags steps need it: set featureFlag or configMap");
    assertThatThrownBy(() -> FlagStores.forSource(CLIENT, "orders", both))
        .hasMessage("spec.flagSource: set exactly one of featureFlag and configMap");
    assertThatThrownBy(() -> FlagStores.forSource(CLIENT, "orders", new FlagSource()))
        .hasMessage("spec.flagSource: set exactly one of featureFlag and configMap");
    assertThatThrownBy(() -> FlagStores.forSource(CLIENT, "orders", unnamed))
        .hasMessage("spec.flagSource.featureFlag.name is empty: name the resource that holds the flags");
  }
}
