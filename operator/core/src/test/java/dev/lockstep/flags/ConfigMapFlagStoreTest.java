package dev.lockstep.flags;

import static dev.lockstep.flags.FlagFixtures.DUAL_WRITE;
import static dev.lockstep.flags.FlagFixtures.FLAGD_JSON;
import static dev.lockstep.flags.FlagFixtures.NAMESPACE;
import static dev.lockstep.flags.FlagFixtures.READ_NEW;
import static dev.lockstep.flags.FlagFixtures.THEME;
import static dev.lockstep.flags.FlagFixtures.change;
import static dev.lockstep.flags.FlagFixtures.configMapSource;
import static dev.lockstep.flags.FlagFixtures.createConfigMap;
import static dev.lockstep.flags.FlagFixtures.takeRequests;
import static dev.lockstep.flags.FlagFixtures.withoutVersions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.api.FlagStatus;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true, https = false)
class ConfigMapFlagStoreTest {

  private static final String KEY = "flags.flagd.json";

  static KubernetesMockServer server;
  static KubernetesClient client;

  private FlagStore store;

  @BeforeEach
  void createFlags() throws InterruptedException {
    client.configMaps().inNamespace(NAMESPACE).withName("orders-flags").delete();
    createConfigMap(client, "orders-flags", KEY, FLAGD_JSON);
    store = FlagStores.forSource(client, NAMESPACE, configMapSource("orders-flags", null));
    takeRequests(server);
  }

  @Test
  void aFlipChangesOnlyThatFlagsDefaultVariantInTheText() {
    ConfigMap before = configMap();

    FlagWrite write = store.update(DUAL_WRITE, flag -> FlagRollout.next(flag, change(DUAL_WRITE, "on", null), null));

    ObjectNode expected = withoutVersions(before);
    expected.with("data").put(KEY, FLAGD_JSON.replaceFirst("\"defaultVariant\": \"off\"", "\"defaultVariant\": \"on\""));
    assertThat(withoutVersions(configMap())).isEqualTo(expected);
    assertThat(write.written()).isTrue();
    assertThat(write.after().defaultVariant()).isEqualTo("on");
  }

  @Test
  void writesAJsonMergePatchOfTheKeyAsFieldManagerLockstep() throws InterruptedException {
    store.update(DUAL_WRITE, flag -> FlagRollout.next(flag, change(DUAL_WRITE, "on", null), null));

    // The mock API server keeps no managedFields, so check what the request told the server.
    List<RecordedRequest> patches = takeRequests(server).stream()
        .filter(request -> request.getMethod().equals("PATCH")).toList();
    assertThat(patches).singleElement().satisfies(patch -> {
      assertThat(patch.getPath()).endsWith("/namespaces/orders/configmaps/orders-flags?fieldManager=lockstep");
      assertThat(patch.getHeader("Content-Type")).startsWith("application/merge-patch+json");
    });
  }

  @Test
  void aPercentRolloutWritesTheFractionalRuleAndHundredRemovesIt() {
    store.update(DUAL_WRITE, flag -> FlagRollout.next(flag, change(DUAL_WRITE, "on", 10), null));

    assertThat(store.read().require(DUAL_WRITE).json()).isEqualTo("""
        {
              "state": "ENABLED",
              "variants": { "on": true, "off": false },
              "defaultVariant": "off",
              "targeting": {"fractional":[["on",10],["off",90]]}
            }""");

    store.update(DUAL_WRITE, flag -> FlagRollout.next(flag, change(DUAL_WRITE, "on", null), status("on", 10)));

    assertThat(document()).isEqualTo(FLAGD_JSON.replaceFirst("\"defaultVariant\": \"off\"", "\"defaultVariant\": \"on\""));
  }

  @Test
  void writingTheDefinitionTheFlagAlreadyHasSendsNothing() throws InterruptedException {
    store.update(DUAL_WRITE, flag -> FlagRollout.next(flag, change(DUAL_WRITE, "on", null), null));
    String resourceVersion = configMap().getMetadata().getResourceVersion();
    takeRequests(server);

    FlagWrite again = store.update(DUAL_WRITE, flag -> FlagRollout.next(flag, change(DUAL_WRITE, "on", null), null));

    assertThat(again.written()).isFalse();
    assertThat(takeRequests(server)).extracting(RecordedRequest::getMethod).containsOnly("GET");
    assertThat(configMap().getMetadata().getResourceVersion()).isEqualTo(resourceVersion);
  }

  @Test
  void restorePutsTheWholeKeyBackByteForByte() {
    String saved = store.read().require(READ_NEW).json();
    store.update(READ_NEW, flag -> FlagRollout.next(flag, change(READ_NEW, "on", 25), null));
    assertThat(document()).isNotEqualTo(FLAGD_JSON);

    assertThat(store.restore(READ_NEW, saved)).isTrue();

    assertThat(document()).isEqualTo(FLAGD_JSON);
    assertThat(store.restore(READ_NEW, saved)).as("a second restore has nothing to do").isFalse();
  }

  @Test
  void aConcurrentEditIsRetriedAndKept() {
    AtomicInteger attempts = new AtomicInteger();

    store.update(DUAL_WRITE, flag -> {
      if (attempts.incrementAndGet() == 1) {
        // The team edits another flag between lockstep's read and its write: lockstep's write gets a
        // 409 Conflict and is redone on the new text.
        client.configMaps().inNamespace(NAMESPACE).withName("orders-flags").edit(configMap -> {
          configMap.getData().put(KEY, configMap.getData().get(KEY).replace("\"light\",\n", "\"dark\",\n"));
          return configMap;
        });
      }
      return FlagRollout.next(flag, change(DUAL_WRITE, "on", null), null);
    });

    assertThat(attempts).hasValue(2);
    assertThat(store.read().require(THEME).defaultVariant()).isEqualTo("dark");
    assertThat(store.read().require(DUAL_WRITE).defaultVariant()).isEqualTo("on");
  }

  @Test
  void givesUpAfterRepeatedConflictsWithTheApiServersError() {
    AtomicInteger attempts = new AtomicInteger();

    assertThatThrownBy(() -> store.update(DUAL_WRITE, flag -> {
      attempts.incrementAndGet();
      client.configMaps().inNamespace(NAMESPACE).withName("orders-flags").edit(configMap -> {
        configMap.getData().put("touched", String.valueOf(attempts.get()));
        return configMap;
      });
      return FlagRollout.next(flag, change(DUAL_WRITE, "on", null), null);
    })).isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    assertThat(attempts).hasValue(FlagStores.MAX_ATTEMPTS);
    assertThat(document()).isEqualTo(FLAGD_JSON);
  }

  @Test
  void aMissingConfigMapKeyOrFlagIsNamed() {
    FlagStore otherKey = FlagStores.forSource(client, NAMESPACE, configMapSource("orders-flags", "flags.json"));
    FlagStore missing = FlagStores.forSource(client, NAMESPACE, configMapSource("payments-flags", null));

    assertThatThrownBy(missing::read).isInstanceOf(FlagException.class).hasMessage(
        "ConfigMap payments-flags not found in namespace orders; create it or fix spec.flagSource.configMap.name");
    assertThatThrownBy(otherKey::read).isInstanceOf(FlagException.class).hasMessage(
        "ConfigMap orders-flags has no key flags.json; put the flagd JSON there or set spec.flagSource.configMap.key");
    assertThatThrownBy(() -> store.restore("nope", "not json"))
        .isInstanceOf(FlagException.class)
        .hasMessageStartingWith("the saved definition of flag nope is not valid JSON");
  }

  private ConfigMap configMap() {
    return client.configMaps().inNamespace(NAMESPACE).withName("orders-flags").get();
  }

  private String document() {
    return configMap().getData().get(KEY);
  }

  private static FlagStatus status(String variant, Integer percent) {
    FlagStatus status = new FlagStatus();
    status.setVariant(variant);
    status.setPercent(percent);
    return status;
  }
}
