package dev.lockstep.flags;

import static dev.lockstep.flags.FlagFixtures.DUAL_WRITE;
import static dev.lockstep.flags.FlagFixtures.NAMESPACE;
import static dev.lockstep.flags.FlagFixtures.READ_NEW;
import static dev.lockstep.flags.FlagFixtures.THEME;
import static dev.lockstep.flags.FlagFixtures.change;
import static dev.lockstep.flags.FlagFixtures.createFeatureFlag;
import static dev.lockstep.flags.FlagFixtures.featureFlagSource;
import static dev.lockstep.flags.FlagFixtures.getFeatureFlag;
import static dev.lockstep.flags.FlagFixtures.takeRequests;
import static dev.lockstep.flags.FlagFixtures.withoutVersions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true, https = false)
class FeatureFlagStoreTest {

  static KubernetesMockServer server;
  static KubernetesClient client;

  private FlagStore store;

  @BeforeEach
  void createFlags() throws InterruptedException {
    client.genericKubernetesResources(FeatureFlagStore.FEATURE_FLAG).inNamespace(NAMESPACE).withName("orders-flags").delete();
    createFeatureFlag(client, "orders-flags");
    store = FlagStores.forSource(client, NAMESPACE, featureFlagSource("orders-flags"));
    takeRequests(server);
  }

  @Test
  void readsEveryFlagOfTheResource() {
    FlagSet flags = store.read();

    assertThat(flags.source()).isEqualTo("FeatureFlag orders-flags");
    assertThat(flags.flags()).containsOnlyKeys(DUAL_WRITE, READ_NEW, THEME);
    assertThat(flags.require(DUAL_WRITE).json())
        .isEqualTo("{\"state\":\"ENABLED\",\"variants\":{\"on\":true,\"off\":false},\"defaultVariant\":\"off\"}");
    assertThat(flags.evaluators().has("staff")).isTrue();
  }

  @Test
  void aFlipChangesOnlyThatFlagsDefaultVariant() {
    GenericKubernetesResource before = getFeatureFlag(client, "orders-flags");

    FlagWrite write = store.update(DUAL_WRITE, flag -> FlagRollout.next(flag, change(DUAL_WRITE, "on", null), null));

    ObjectNode expected = withoutVersions(before);
    ((ObjectNode) expected.at("/spec/flagSpec/flags/" + DUAL_WRITE)).put("defaultVariant", "on");
    assertThat(withoutVersions(getFeatureFlag(client, "orders-flags"))).isEqualTo(expected);
    assertThat(write.written()).isTrue();
    assertThat(write.before().defaultVariant()).isEqualTo("off");
    assertThat(write.after().defaultVariant()).isEqualTo("on");
  }

  @Test
  void writesAJsonPatchAsFieldManagerLockstep() throws InterruptedException {
    store.update(DUAL_WRITE, flag -> FlagRollout.next(flag, change(DUAL_WRITE, "on", null), null));
    store.restore(DUAL_WRITE, "{\"state\":\"ENABLED\",\"variants\":{\"on\":true,\"off\":false},\"defaultVariant\":\"off\"}");

    // The mock API server keeps no managedFields, so check what the requests told the server.
    List<RecordedRequest> patches = takeRequests(server).stream()
        .filter(request -> request.getMethod().equals("PATCH")).toList();
    assertThat(patches).hasSize(2).allSatisfy(patch -> {
      assertThat(patch.getPath()).endsWith("/namespaces/orders/featureflags/orders-flags?fieldManager=lockstep");
      assertThat(patch.getHeader("Content-Type")).startsWith("application/json-patch+json");
    });
  }

  @Test
  void aPercentRolloutWritesTheFractionalRuleAndHundredRemovesIt() {
    store.update(READ_NEW, flag -> FlagRollout.next(flag, change(READ_NEW, "on", 10), null));

    FlagDefinition canary = store.read().require(READ_NEW);
    assertThat(canary.defaultVariant()).isEqualTo("off");
    assertThat(canary.targeting()).contains(FlagRollout.fractionalRule("on", 10, "off"));

    store.update(READ_NEW, flag -> FlagRollout.next(flag, change(READ_NEW, "on", 100), status("on", 10)));

    FlagDefinition full = store.read().require(READ_NEW);
    assertThat(full.defaultVariant()).isEqualTo("on");
    assertThat(full.tree().has("targeting")).isFalse();
  }

  @Test
  void writingTheDefinitionTheFlagAlreadyHasSendsNothing() throws InterruptedException {
    store.update(DUAL_WRITE, flag -> FlagRollout.next(flag, change(DUAL_WRITE, "on", null), null));
    String resourceVersion = getFeatureFlag(client, "orders-flags").getMetadata().getResourceVersion();
    takeRequests(server);

    FlagWrite again = store.update(DUAL_WRITE, flag -> FlagRollout.next(flag, change(DUAL_WRITE, "on", null), null));

    assertThat(again.written()).isFalse();
    assertThat(takeRequests(server)).extracting(RecordedRequest::getMethod).containsOnly("GET");
    assertThat(getFeatureFlag(client, "orders-flags").getMetadata().getResourceVersion()).isEqualTo(resourceVersion);
  }

  @Test
  void restorePutsTheFlagsJsonBackExactly() {
    String saved = store.read().require(READ_NEW).json();
    GenericKubernetesResource before = getFeatureFlag(client, "orders-flags");
    store.update(READ_NEW, flag -> FlagRollout.next(flag, change(READ_NEW, "on", 10), null));

    assertThat(store.restore(READ_NEW, saved)).isTrue();

    assertThat(store.read().require(READ_NEW).json()).isEqualTo(saved);
    assertThat(withoutVersions(getFeatureFlag(client, "orders-flags"))).isEqualTo(withoutVersions(before));
    assertThat(store.restore(READ_NEW, saved)).as("a second restore has nothing to do").isFalse();
  }

  @Test
  void restoreLeavesOtherFlagsAsTheyAreNow() {
    String saved = store.read().require(READ_NEW).json();
    store.update(READ_NEW, flag -> FlagRollout.next(flag, change(READ_NEW, "on", null), null));
    store.update(DUAL_WRITE, flag -> FlagRollout.next(flag, change(DUAL_WRITE, "on", null), null));

    store.restore(READ_NEW, saved);

    assertThat(store.read().require(DUAL_WRITE).defaultVariant()).isEqualTo("on");
  }

  @Test
  void aConcurrentWriteIsReadAgainNotOverwritten() {
    AtomicInteger attempts = new AtomicInteger();

    FlagWrite write = store.update(DUAL_WRITE, flag -> {
      if (attempts.incrementAndGet() == 1) {
        // Someone else changes another flag between lockstep's read and its write.
        client.genericKubernetesResources(FeatureFlagStore.FEATURE_FLAG).inNamespace(NAMESPACE)
            .withName("orders-flags").edit(resource -> {
              flagsOf(resource).get(THEME).put("defaultVariant", "dark");
              return resource;
            });
      }
      return FlagRollout.next(flag, change(DUAL_WRITE, "on", null), null);
    });

    assertThat(attempts).hasValue(2);
    assertThat(write.written()).isTrue();
    assertThat(store.read().require(THEME).defaultVariant()).isEqualTo("dark");
    assertThat(store.read().require(DUAL_WRITE).defaultVariant()).isEqualTo("on");
  }

  @Test
  void aMissingResourceOrFlagIsNamed() {
    FlagStore missing = FlagStores.forSource(client, NAMESPACE, featureFlagSource("payments-flags"));

    assertThatThrownBy(missing::read).isInstanceOf(FlagException.class).hasMessage(
        "FeatureFlag payments-flags not found in namespace orders; create it or fix spec.flagSource.featureFlag.name");
    assertThatThrownBy(() -> store.update("nope", flag -> flag.tree()))
        .isInstanceOf(FlagException.class)
        .hasMessage("FeatureFlag orders-flags has no flag nope; it holds " + DUAL_WRITE + ", " + READ_NEW + ", " + THEME);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> flagsOf(GenericKubernetesResource resource) {
    Map<String, Object> spec = (Map<String, Object>) resource.getAdditionalProperties().get("spec");
    Map<String, Object> flagSpec = (Map<String, Object>) spec.get("flagSpec");
    return (Map<String, Map<String, Object>>) flagSpec.get("flags");
  }

  private static dev.lockstep.api.FlagStatus status(String variant, Integer percent) {
    dev.lockstep.api.FlagStatus status = new dev.lockstep.api.FlagStatus();
    status.setVariant(variant);
    status.setPercent(percent);
    return status;
  }
}
