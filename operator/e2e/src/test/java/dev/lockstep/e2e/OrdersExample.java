package dev.lockstep.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lockstep.api.FlagConfigMapRef;
import dev.lockstep.api.FlagSource;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.world.cluster.Manifests;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The manifests of examples/orders, as the example ships them (the sample app, its FeatureFlag, the
 * scripts and the two SchemaMigrations), and the same application with its flags in a ConfigMap instead.
 * Each call reads the files again, so a test may change what it gets.
 */
final class OrdersExample {

  static final Path DIRECTORY = Path.of("..", "..", "examples", "orders");
  static final String CREATE = "orders-create";
  static final String MIGRATION = "orders-total-cents";
  static final String DEPLOYMENT = "orders";
  static final String FEATURE_FLAG = "orders-flags";
  static final String DUAL_WRITE = "orders-cents-dual-write";
  static final String READ_CENTS = "orders-cents-read";

  /** Where the ConfigMap variant mounts its flags. */
  static final String FLAGS_MOUNT = "/etc/flagd";
  static final String FLAGS_KEY = "flags.flagd.json";

  private final Manifests manifests;

  OrdersExample() {
    if (!Files.isDirectory(DIRECTORY)) {
      throw new IllegalStateException(DIRECTORY.toAbsolutePath() + " is missing: run the tests from the operator module");
    }
    manifests = Manifests.load(DIRECTORY);
  }

  /** Everything but the SchemaMigration (applied last, by the test) and the Secret (the fixture's own). */
  List<HasMetadata> workload() {
    return manifests.resources().stream()
        .filter(r -> !(r instanceof SchemaMigration) && !(r instanceof Secret))
        .toList();
  }

  /** The example's migration to version 1, the application's starting point. */
  SchemaMigration create() {
    return migration(CREATE);
  }

  /** The example's walk from total to total_cents. */
  SchemaMigration migration() {
    return migration(MIGRATION);
  }

  private SchemaMigration migration(String name) {
    return manifests.migrations().stream().filter(m -> m.getMetadata().getName().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalStateException(DIRECTORY + " has no SchemaMigration " + name));
  }

  GenericKubernetesResource featureFlag() {
    return (GenericKubernetesResource) manifests.resources().stream()
        .filter(r -> "FeatureFlag".equals(r.getKind()) && FEATURE_FLAG.equals(r.getMetadata().getName()))
        .findFirst().orElseThrow();
  }

  /**
   * The same application with its flags in a ConfigMap: no flagd sidecar, the ConfigMap mounted as a
   * volume, and the flagd provider reading the file (file mode). The FeatureFlag's flags become the
   * ConfigMap's flagd document; the migration's flag source is the ConfigMap.
   */
  List<HasMetadata> workloadWithConfigMapFlags() throws Exception {
    ConfigMap flags = new ConfigMapBuilder()
        .withNewMetadata().withName(FEATURE_FLAG).endMetadata()
        .addToData(FLAGS_KEY, flagdDocument(featureFlag()))
        .build();
    List<HasMetadata> resources = new ArrayList<>();
    for (HasMetadata resource : workload()) {
      if (resource.getApiVersion().startsWith("core.openfeature.dev/")) {
        continue;
      }
      resources.add(resource instanceof Deployment deployment ? readingFlagsFrom(deployment, FEATURE_FLAG) : resource);
    }
    resources.add(flags);
    return resources;
  }

  SchemaMigration migrationWithConfigMapFlags() {
    SchemaMigration migration = migration();
    FlagConfigMapRef configMap = new FlagConfigMapRef();
    configMap.setName(FEATURE_FLAG);
    configMap.setKey(FLAGS_KEY);
    FlagSource source = new FlagSource();
    source.setConfigMap(configMap);
    migration.getSpec().setFlagSource(source);
    return migration;
  }

  /** A FeatureFlag's flags as a flagd JSON document, indented as a person would write it. */
  static String flagdDocument(GenericKubernetesResource featureFlag) throws Exception {
    JsonNode flagSpec = Serialization.jsonMapper().valueToTree(featureFlag.getAdditionalProperties().get("spec"))
        .path("flagSpec");
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(flagSpec) + "\n";
  }

  private static Deployment readingFlagsFrom(Deployment deployment, String configMap) {
    var template = deployment.getSpec().getTemplate();
    template.getMetadata().getAnnotations().keySet().removeIf(key -> key.startsWith("openfeature.dev/"));
    var container = template.getSpec().getContainers().get(0);
    container.getEnv().add(new EnvVarBuilder().withName("FLAGD_RESOLVER").withValue("file").build());
    container.getEnv().add(new EnvVarBuilder().withName("FLAGD_OFFLINE_FLAG_SOURCE_PATH")
        .withValue(FLAGS_MOUNT + "/" + FLAGS_KEY).build());
    container.getEnv().add(new EnvVarBuilder().withName("FLAGD_OFFLINE_POLL_MS").withValue("500").build());
    container.getVolumeMounts().add(new VolumeMountBuilder().withName("flags").withMountPath(FLAGS_MOUNT).build());
    template.getSpec().getVolumes().add(
        new VolumeBuilder().withName("flags").withNewConfigMap().withName(configMap).endConfigMap().build());
    return deployment;
  }
}
