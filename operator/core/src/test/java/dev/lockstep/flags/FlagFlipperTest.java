package dev.lockstep.flags;

import static dev.lockstep.flags.FlagFixtures.DUAL_WRITE;
import static dev.lockstep.flags.FlagFixtures.FLAGD_JSON;
import static dev.lockstep.flags.FlagFixtures.NAMESPACE;
import static dev.lockstep.flags.FlagFixtures.READ_NEW;
import static dev.lockstep.flags.FlagFixtures.THEME;
import static dev.lockstep.flags.FlagFixtures.change;
import static dev.lockstep.flags.FlagFixtures.configMapSource;
import static dev.lockstep.flags.FlagFixtures.createConfigMap;
import static dev.lockstep.flags.FlagFixtures.createFeatureFlag;
import static dev.lockstep.flags.FlagFixtures.featureFlagSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.api.FlagSource;
import dev.lockstep.api.FlagStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@EnableKubernetesMockClient(crud = true, https = false)
class FlagFlipperTest {

  static KubernetesClient client;

  private final FlagFlipper flipper =
      new FlagFlipper(new FlagSampler(), Clock.fixed(Instant.parse("2026-11-24T10:15:30.5Z"), ZoneOffset.UTC));

  static Stream<FlagSource> sources() {
    return Stream.of(featureFlagSource("orders-flags"), configMapSource("orders-flags", null));
  }

  @BeforeEach
  void createSources() {
    client.genericKubernetesResources(FeatureFlagStore.FEATURE_FLAG).inNamespace(NAMESPACE).withName("orders-flags").delete();
    client.configMaps().inNamespace(NAMESPACE).withName("orders-flags").delete();
    createFeatureFlag(client, "orders-flags");
    createConfigMap(client, "orders-flags", "flags.flagd.json", FLAGD_JSON);
  }

  @ParameterizedTest
  @MethodSource("sources")
  void canaryThenFullFlipThenRollbackRestoresTheOriginal(FlagSource source) {
    FlagStore store = FlagStores.forSource(client, NAMESPACE, source);
    String original = store.read().require(READ_NEW).json();

    FlagStatus captured = flipper.capture(store, READ_NEW, null);
    assertThat(captured.getPrevious()).isEqualTo("off");
    assertThat(captured.getPreviousDefinition()).isEqualTo(original);
    assertThat(captured.getVariant()).as("capture writes nothing").isNull();
    assertThat(store.read().require(READ_NEW).json()).isEqualTo(original);

    FlagStatus canary = flipper.apply(store, change(READ_NEW, "on", 10), captured);
    assertThat(canary.getVariant()).isEqualTo("on");
    assertThat(canary.getPercent()).isEqualTo(10);
    assertThat(canary.getObservedShare()).isCloseTo(0.10, within(FlagVerification.tolerance(10, FlagSampler.SAMPLE_SIZE)));
    assertThat(canary.getObservedAt()).isEqualTo("2026-11-24T10:15:30Z");
    assertThat(store.read().require(READ_NEW).targeting()).contains(FlagRollout.fractionalRule("on", 10, "off"));

    FlagStatus full = flipper.apply(store, change(READ_NEW, "on", null), flipper.capture(store, READ_NEW, canary));
    assertThat(full.getPercent()).isEqualTo(100);
    assertThat(full.getObservedShare()).isEqualTo(1.0);
    assertThat(full.getPrevious()).isEqualTo("off");
    assertThat(full.getPreviousDefinition()).as("kept from before the first write").isEqualTo(original);
    assertThat(store.read().require(READ_NEW).targeting()).isEmpty();

    FlagStatus restored = flipper.restore(store, READ_NEW, full);
    assertThat(store.read().require(READ_NEW).json()).isEqualTo(original);
    assertThat(restored.getVariant()).isEqualTo("off");
    assertThat(restored.getPercent()).isNull();
  }

  @ParameterizedTest
  @MethodSource("sources")
  void applyingTheSameChangeAgainWritesNothing(FlagSource source) {
    FlagStore store = FlagStores.forSource(client, NAMESPACE, source);
    FlagStatus first = flipper.apply(store, change(DUAL_WRITE, "on", 20), flipper.capture(store, DUAL_WRITE, null));
    String version = resourceVersion(source);

    FlagStatus again = flipper.apply(store, change(DUAL_WRITE, "on", 20), first);

    assertThat(resourceVersion(source)).isEqualTo(version);
    assertThat(again.getObservedShare()).isEqualTo(first.getObservedShare());
  }

  @ParameterizedTest
  @MethodSource("sources")
  void aRolloutRepeatedAfterACrashBeforeItsStatusWasSavedIsAccepted(FlagSource source) {
    FlagStore store = FlagStores.forSource(client, NAMESPACE, source);
    FlagStatus captured = flipper.capture(store, DUAL_WRITE, null);
    flipper.apply(store, change(DUAL_WRITE, "on", 20), captured);

    // The operator restarted before saving the status of the apply: only the capture was saved.
    FlagStatus resumed = flipper.apply(store, change(DUAL_WRITE, "on", 20), flipper.capture(store, DUAL_WRITE, captured));

    assertThat(resumed.getPercent()).isEqualTo(20);
    assertThat(resumed.getPreviousDefinition()).isEqualTo(captured.getPreviousDefinition());
  }

  @ParameterizedTest
  @MethodSource("sources")
  void aFlagWithTheTeamsTargetingIsNotTouched(FlagSource source) {
    FlagStore store = FlagStores.forSource(client, NAMESPACE, source);
    String before = store.read().require(THEME).json();

    assertThatThrownBy(() -> flipper.apply(store, change(THEME, "dark", null), flipper.capture(store, THEME, null)))
        .isInstanceOf(FlagException.class)
        .hasMessageContaining("flag checkout-theme has a targeting rule that lockstep did not write");
    assertThat(store.read().require(THEME).json()).isEqualTo(before);
  }

  @Test
  void aFlipOfADisabledFlagDoesNotCount() {
    createConfigMap(client, "legacy-flags", "flags.flagd.json", """
        {"flags": {"legacy": {"state": "DISABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off"}}}""");
    FlagStore store = FlagStores.forSource(client, NAMESPACE, configMapSource("legacy-flags", null));

    assertThatThrownBy(() -> flipper.apply(store, change("legacy", "on", null), flipper.capture(store, "legacy", null)))
        .isInstanceOf(FlagException.class)
        .hasMessage("ConfigMap legacy-flags key flags.flagd.json: flag legacy failed to evaluate for 2000 of 2000 keys: "
            + "FLAG_NOT_FOUND flag: legacy is disabled");
  }

  @Test
  void aWriteThatDoesNotReadBackDoesNotCount() {
    FlagStore real = FlagStores.forSource(client, NAMESPACE, configMapSource("orders-flags", null));
    FlagSet stale = real.read();
    // A source that accepts the write but then reads as before, as if something reverted it at once.
    FlagStore reverting = new FlagStore() {
      public String description() {
        return real.description();
      }

      public FlagSet read() {
        return stale;
      }

      public FlagWrite update(String key, Function<FlagDefinition, ObjectNode> change) {
        return real.update(key, change);
      }

      public boolean restore(String key, String saved) {
        return real.restore(key, saved);
      }
    };

    assertThatThrownBy(() -> flipper.apply(reverting, change(DUAL_WRITE, "on", null), flipper.capture(real, DUAL_WRITE, null)))
        .isInstanceOf(FlagException.class)
        .hasMessageStartingWith("ConfigMap orders-flags key flags.flagd.json: flag orders-currency-dual-write changed again "
            + "right after lockstep wrote it; it now reads {");
  }

  @Test
  void applyNeedsTheCapturedDefinitionFirst() {
    FlagStore store = FlagStores.forSource(client, NAMESPACE, configMapSource("orders-flags", null));

    assertThatThrownBy(() -> flipper.apply(store, change(DUAL_WRITE, "on", null), null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("flag orders-currency-dual-write: capture() and persist its previous definition first");
  }

  @Test
  void restoringAFlagThisMigrationNeverCapturedDoesNothing() {
    FlagStore store = FlagStores.forSource(client, NAMESPACE, configMapSource("orders-flags", null));

    assertThat(flipper.restore(store, DUAL_WRITE, null)).isNull();
    assertThat(store.read().require(DUAL_WRITE).defaultVariant()).isEqualTo("off");
  }

  private static String resourceVersion(FlagSource source) {
    return source.getFeatureFlag() != null
        ? client.genericKubernetesResources(FeatureFlagStore.FEATURE_FLAG).inNamespace(NAMESPACE)
            .withName("orders-flags").get().getMetadata().getResourceVersion()
        : client.configMaps().inNamespace(NAMESPACE).withName("orders-flags").get().getMetadata().getResourceVersion();
  }
}
