package dev.lockstep.world.kubelet;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Jobs of exactly the shape the operator creates (the Job protocol), for kubelet tests. */
final class JobManifests {

  static final String RUNNER_IMAGE = "ghcr.io/lockstep-dev/lockstep:0.1.0";
  static final String SCRIPTS_IMAGE = "registry.example.com/orders-migrations:1.4.0";

  private JobManifests() {}

  static Secret databaseSecret(String namespace) {
    return new SecretBuilder().withNewMetadata().withName("orders-db").withNamespace(namespace).endMetadata()
        .addToData("url", base64("jdbc:postgresql://localhost:5432/orders"))
        .addToData("username", base64("orders"))
        .addToStringData("password", "s3cr3t")
        .build();
  }

  static ConfigMap scripts(String namespace) {
    return new ConfigMapBuilder().withNewMetadata().withName("orders-migrations").withNamespace(namespace).endMetadata()
        .addToData("V1__create_orders.sql", "CREATE TABLE orders (id bigint);")
        .addToData("V2__add_currency.sql", "ALTER TABLE orders ADD COLUMN currency text;")
        .build();
  }

  /** A runner Job whose scripts come from the orders-migrations ConfigMap. */
  static JobBuilder runnerJob(String namespace, String name, String... args) {
    Map<String, String> labels = Map.of("app.kubernetes.io/managed-by", "lockstep",
        "lockstep.dev/migration", "orders-currency", "lockstep.dev/step", name, "lockstep.dev/attempt", "1");
    return new JobBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels).endMetadata()
        .withNewSpec()
        .withBackoffLimit(0)
        .withActiveDeadlineSeconds(900L)
        .withNewTemplate()
        .withNewMetadata().withLabels(labels).endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .addToContainers(new ContainerBuilder()
            .withName("runner")
            .withImage(RUNNER_IMAGE)
            .withArgs(args)
            .withEnv(databaseEnv())
            .addNewVolumeMount().withName("scripts").withMountPath("/lockstep/scripts").withReadOnly(true)
            .endVolumeMount()
            .withTerminationMessagePath("/dev/termination-log")
            .withTerminationMessagePolicy("FallbackToLogsOnError")
            .build())
        .addNewVolume().withName("scripts").withNewConfigMap().withName("orders-migrations").endConfigMap().endVolume()
        .endSpec()
        .endTemplate()
        .endSpec();
  }

  /** The same Job with its scripts copied out of the scripts image by an init container. */
  static Job imageScriptsJob(String namespace, String name, String scriptsImage) {
    return runnerJob(namespace, name)
        .editSpec().editTemplate().editSpec()
        .addToInitContainers(new ContainerBuilder()
            .withName("copy-scripts")
            .withImage(scriptsImage)
            .withCommand("cp", "-R", "/migrations/.", "/lockstep/scripts/")
            .addNewVolumeMount().withName("scripts").withMountPath("/lockstep/scripts").endVolumeMount()
            .build())
        .withVolumes(new VolumeBuilder().withName("scripts").withNewEmptyDir().endEmptyDir().build())
        .endSpec().endTemplate().endSpec()
        .build();
  }

  private static List<EnvVar> databaseEnv() {
    List<EnvVar> env = new ArrayList<>();
    for (String key : List.of("url", "username", "password")) {
      env.add(new EnvVarBuilder().withName("LOCKSTEP_DB_" + key.toUpperCase())
          .withNewValueFrom().withNewSecretKeyRef().withName("orders-db").withKey(key).endSecretKeyRef().endValueFrom()
          .build());
    }
    return env;
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }
}
