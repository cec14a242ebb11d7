package dev.lockstep.world.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lockstep.runner.ContainerEnvironment;
import dev.lockstep.world.KubernetesWorld;
import dev.lockstep.world.kubelet.PodProcess;
import dev.lockstep.world.kubelet.PodProcessContext;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The stand-in for the OpenFeature Operator's flagd sidecar, around a process that only looks. */
class OpenFeatureSidecarsTest {

  private static final String NAMESPACE = "shop";
  private static KubernetesWorld world;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    world = KubernetesWorld.startEmpty();
    OpenFeatureResources.installCrds(world);
    client = world.client();
    create(featureFlag("orders-flags", """
        {"flags": {"dual-write": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off"},
                   "read": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off"}}}"""));
    create(featureFlag("team-flags", """
        {"flags": {"read": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "on"}},
         "$evaluators": {"staff": {"ends_with": [{"var": "email"}, "@example.com"]}}}"""));
    create(featureFlagSource("orders-flag-source", "orders-flags", "shop/team-flags"));
    create(featureFlagSource("missing-source", "no-such-flags"));
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  /** What the application was started with: its env and the flag file as it sees it. */
  private record Started(ContainerEnvironment environment) {
    String flagFile() throws Exception {
      return Files.readString(environment.file(environment.env("FLAGD_OFFLINE_FLAG_SOURCE_PATH")));
    }
  }

  private static PodProcess start(Map<String, String> annotations, AtomicReference<Started> started) throws Exception {
    OpenFeatureSidecars sidecars = new OpenFeatureSidecars(client, pod -> {
      started.set(new Started(pod.environment()));
      return () -> {};
    });
    PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
    return sidecars.start(new PodProcessContext(NAMESPACE, "orders-1", "127.0.1.1", Map.of(), annotations,
        new ContainerBuilder().withName("orders").build(), List.of(),
        ContainerEnvironment.of(Map.of("FLAGD_RESOLVER", "rpc", "DB_URL", "jdbc:postgresql://db/orders"),
            path -> Path.of("/nonexistent").resolve(path.substring(1)), discard, discard)));
  }

  @Test
  void anAnnotatedPodReadsTheMergedFlagsOfItsSourcesFromAFile() throws Exception {
    AtomicReference<Started> started = new AtomicReference<>();
    try (PodProcess process = start(Map.of(OpenFeatureSidecars.ENABLED, "true",
        OpenFeatureSidecars.FEATURE_FLAG_SOURCE, "orders-flag-source"), started)) {
      ContainerEnvironment env = started.get().environment();
      assertThat(env.env("FLAGD_RESOLVER")).isEqualTo("file");
      assertThat(env.env("DB_URL")).isEqualTo("jdbc:postgresql://db/orders");
      // team-flags comes second in the source, so its "read" replaces the one of orders-flags.
      assertThat(started.get().flagFile())
          .contains("\"dual-write\":{\"state\":\"ENABLED\"")
          .contains("\"read\":{\"state\":\"ENABLED\",\"variants\":{\"on\":true,\"off\":false},\"defaultVariant\":\"on\"}")
          .contains("\"$evaluators\":{\"staff\"");

      client.genericKubernetesResources(OpenFeatureResources.FEATURE_FLAG).inNamespace(NAMESPACE)
          .withName("orders-flags").patch(PatchContext.of(PatchType.JSON),
              "[{\"op\": \"replace\", \"path\": \"/spec/flagSpec/flags/dual-write/defaultVariant\", \"value\": \"on\"}]");

      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(started.get().flagFile())
          .contains("\"dual-write\":{\"state\":\"ENABLED\",\"variants\":{\"on\":true,\"off\":false},\"defaultVariant\":\"on\"}"));
    }
  }

  @Test
  void aPodWithoutTheAnnotationsGetsNoSidecar() throws Exception {
    AtomicReference<Started> started = new AtomicReference<>();
    try (PodProcess process = start(Map.of(OpenFeatureSidecars.FEATURE_FLAG_SOURCE, "orders-flag-source"), started)) {
      assertThat(started.get().environment().env("FLAGD_RESOLVER")).isEqualTo("rpc");
    }
  }

  @Test
  void aSourceNamingAMissingFeatureFlagStopsThePodFromStarting() {
    AtomicReference<Started> started = new AtomicReference<>();

    assertThatThrownBy(() -> start(Map.of(OpenFeatureSidecars.ENABLED, "true",
        OpenFeatureSidecars.FEATURE_FLAG_SOURCE, "missing-source"), started))
        .hasMessageContaining("could not retrieve featureflag shop/no-such-flags");
    assertThatThrownBy(() -> start(Map.of(OpenFeatureSidecars.ENABLED, "true",
        OpenFeatureSidecars.FEATURE_FLAG_SOURCE, "nowhere"), started))
        .hasMessageContaining("FeatureFlagSource shop/nowhere").hasMessageContaining("does not exist");
    assertThat(started.get()).isNull();
  }

  private static GenericKubernetesResource featureFlag(String name, String flagSpec) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("core.openfeature.dev/v1beta1").withKind("FeatureFlag")
        .withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
        .withAdditionalProperties(Map.of("spec", Map.of("flagSpec",
            Serialization.unmarshal(flagSpec, Map.class))))
        .build();
  }

  private static GenericKubernetesResource featureFlagSource(String name, String... featureFlags) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("core.openfeature.dev/v1beta1").withKind("FeatureFlagSource")
        .withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
        .withAdditionalProperties(Map.of("spec", Map.of("sources",
            Arrays.stream(featureFlags).map(f -> Map.of("source", f, "provider", "kubernetes")).toList())))
        .build();
  }

  /** Applied as kubectl would: through discovery, which the installed CRDs make possible. */
  private static void create(GenericKubernetesResource resource) {
    client.resource(resource).create();
  }
}
