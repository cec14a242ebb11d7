package dev.lockstep.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lockstep.api.DatabaseRef;
import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.SchemaMigrationSpec;
import dev.lockstep.api.SchemaMigrationStatus;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How the in-process API server behaves where a controller's correctness depends on it. Each test
 * documents one fact that docs/world.md states.
 */
class KubernetesWorldFactsTest {

  private static KubernetesWorld world;
  private static KubernetesClient client;

  @BeforeAll
  static void startWorld() {
    world = KubernetesWorld.start();
    client = world.newClient();
  }

  @AfterAll
  static void stopWorld() {
    world.close();
  }

  private static SchemaMigration migration(String name, String database) {
    SchemaMigration migration = new SchemaMigration();
    migration.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("facts").build());
    SchemaMigrationSpec spec = new SchemaMigrationSpec();
    DatabaseRef ref = new DatabaseRef();
    ref.setName(database);
    spec.setDatabase(ref);
    migration.setSpec(spec);
    return migration;
  }

  private static SchemaMigrationStatus status(Phase phase, String step) {
    SchemaMigrationStatus status = new SchemaMigrationStatus();
    status.setPhase(phase);
    status.setCurrentStep(step);
    return status;
  }

  private static Resource<SchemaMigration> resource(String name) {
    return client.resources(SchemaMigration.class).inNamespace("facts").withName(name);
  }

  @Test
  void theServerSaysItIsKubernetes131() {
    assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo("v1.31.0");
    assertThat(client.getKubernetesVersion().getMinor()).isEqualTo("31");
  }

  @Test
  void createSetsGenerationOneUidAndResourceVersionAndDropsStatus() {
    SchemaMigration toCreate = migration("create", "orders");
    toCreate.setStatus(status(Phase.Succeeded, "sneaky"));

    SchemaMigration created = client.resource(toCreate).create();

    assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);
    assertThat(created.getMetadata().getUid()).isNotBlank();
    assertThat(created.getMetadata().getResourceVersion()).isNotBlank();
    assertThat(created.getMetadata().getCreationTimestamp()).isNotBlank();
    // The typed class starts with an empty status; nothing of the posted one was stored.
    assertThat(resource("create").get().getStatus().getPhase()).isNull();
  }

  @Test
  void specUpdateBumpsGenerationButMetadataAndStatusUpdatesDoNot() {
    client.resource(migration("generation", "orders")).create();

    SchemaMigration labelled = resource("generation").edit(m -> {
      m.getMetadata().getLabels().put("team", "payments");
      m.getMetadata().getAnnotations().put("lockstep.dev/approve", "contract");
      return m;
    });
    assertThat(labelled.getMetadata().getGeneration()).isEqualTo(1L);

    SchemaMigration withStatus = resource("generation").get();
    withStatus.setStatus(status(Phase.Progressing, "expand"));
    client.resource(withStatus).updateStatus();
    assertThat(resource("generation").get().getMetadata().getGeneration()).isEqualTo(1L);

    SchemaMigration changed = resource("generation").edit(m -> {
      m.getSpec().getDatabase().setName("billing");
      return m;
    });
    assertThat(changed.getMetadata().getGeneration()).isEqualTo(2L);
  }

  @Test
  void updateWithStaleResourceVersionIsRejectedWith409() {
    SchemaMigration created = client.resource(migration("conflict", "orders")).create();
    resource("conflict").edit(m -> {
      m.getSpec().getDatabase().setName("billing");
      return m;
    });

    created.getSpec().getDatabase().setName("stale");
    assertThatThrownBy(() -> client.resource(created).update())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    created.setStatus(status(Phase.Failed, "stale"));
    assertThatThrownBy(() -> client.resource(created).updateStatus())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    assertThat(resource("conflict").get().getSpec().getDatabase().getName()).isEqualTo("billing");
  }

  @Test
  void updateWithoutResourceVersionIsUnconditional() {
    SchemaMigration created = client.resource(migration("unconditional", "orders")).create();
    resource("unconditional").edit(m -> {
      m.getSpec().getDatabase().setName("billing");
      return m;
    });

    created.getMetadata().setResourceVersion(null);
    created.getSpec().getDatabase().setName("last-writer");
    client.resource(created).update();

    assertThat(resource("unconditional").get().getSpec().getDatabase().getName()).isEqualTo("last-writer");
  }

  @Test
  void statusSubresourceKeepsSpecAndMainResourceUpdateKeepsStatus() {
    client.resource(migration("subresource", "orders")).create();
    SchemaMigration withStatus = resource("subresource").get();
    withStatus.setStatus(status(Phase.Progressing, "expand"));
    withStatus.getSpec().getDatabase().setName("ignored-by-status-update");
    client.resource(withStatus).updateStatus();

    SchemaMigration afterStatus = resource("subresource").get();
    assertThat(afterStatus.getSpec().getDatabase().getName()).isEqualTo("orders");
    assertThat(afterStatus.getStatus().getCurrentStep()).isEqualTo("expand");

    afterStatus.getSpec().getDatabase().setName("billing");
    afterStatus.setStatus(status(Phase.Failed, "ignored-by-spec-update"));
    client.resource(afterStatus).update();

    SchemaMigration afterSpec = resource("subresource").get();
    assertThat(afterSpec.getSpec().getDatabase().getName()).isEqualTo("billing");
    assertThat(afterSpec.getStatus().getPhase()).isEqualTo(Phase.Progressing);
  }

  @Test
  void builtInKindsHaveAStatusSubresourceToo() {
    Pod pod = client.resource(new PodBuilder()
        .withNewMetadata().withName("p").withNamespace("facts").endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec()
        .withNewStatus().withPhase("Succeeded").endStatus()
        .build()).create();
    assertThat(pod.getStatus()).isNull();

    pod.setStatus(new PodStatusBuilder().withPhase("Running").build());
    client.resource(pod).updateStatus();
    Pod running = client.pods().inNamespace("facts").withName("p").get();
    running.getMetadata().getLabels().put("app", "x");
    running.getStatus().setPhase("Failed");
    client.resource(running).update();

    assertThat(client.pods().inNamespace("facts").withName("p").get().getStatus().getPhase())
        .isEqualTo("Running");
  }

  @Test
  void deploymentGenerationFollowsSpecChanges() {
    Deployment deployment = client.resource(new DeploymentBuilder()
        .withNewMetadata().withName("d").withNamespace("facts").endMetadata()
        .withNewSpec().withReplicas(1)
        .withNewSelector().addToMatchLabels("app", "d").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "d").endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("app:1").endContainer().endSpec()
        .endTemplate().endSpec().build()).create();
    assertThat(deployment.getMetadata().getGeneration()).isEqualTo(1L);

    client.apps().deployments().inNamespace("facts").withName("d").scale(3);
    assertThat(client.apps().deployments().inNamespace("facts").withName("d").get().getMetadata().getGeneration())
        .isEqualTo(2L);
  }

  @Test
  void jsonMergePatchReplacesListsAndNullRemovesAKey() {
    client.resource(new ConfigMapBuilder()
        .withNewMetadata().withName("merge").withNamespace("facts")
        .addToAnnotations("keep", "1").addToAnnotations("drop", "2").endMetadata()
        .addToData("flags.json", "{}")
        .build()).create();
    client.resource(migration("merge", "orders")).create();
    SchemaMigration withStatus = resource("merge").get();
    SchemaMigrationStatus status = status(Phase.Progressing, "expand");
    status.setConditions(List.of(
        new ConditionBuilder().withType("Ready").withStatus("False").build(),
        new ConditionBuilder().withType("Reconciling").withStatus("True").build()));
    withStatus.setStatus(status);
    client.resource(withStatus).updateStatus();

    client.configMaps().inNamespace("facts").withName("merge").patch(
        PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\"drop\":null}}}");
    resource("merge").subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}");

    ConfigMap patched = client.configMaps().inNamespace("facts").withName("merge").get();
    assertThat(patched.getMetadata().getAnnotations()).containsOnlyKeys("keep");
    assertThat(resource("merge").get().getStatus().getConditions())
        .extracting(c -> c.getType() + "=" + c.getStatus())
        .containsExactly("Ready=True");
    assertThat(resource("merge").get().getStatus().getCurrentStep()).isEqualTo("expand");
  }

  @Test
  void watchWithLabelSelectorSeesOnlyMatchingObjects() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    try (Watch ignored = client.configMaps().inNamespace("watch").withLabel("lockstep.dev/migration", "a")
        .watch(new Watcher<>() {
          @Override
          public void eventReceived(Action action, ConfigMap resource) {
            seen.add(action + " " + resource.getMetadata().getName());
          }

          @Override
          public void onClose(WatcherException cause) {}
        })) {
      client.resource(configMap("watch", "mine", "a")).create();
      client.resource(configMap("watch", "theirs", "b")).create();
      client.configMaps().inNamespace("watch").withName("mine").edit(c -> {
        c.getData().put("k", "v2");
        return c;
      });
      client.configMaps().inNamespace("watch").withName("mine").delete();

      await().atMost(Duration.ofSeconds(10))
          .until(() -> seen.size() >= 3);
      assertThat(seen).containsExactly("ADDED mine", "MODIFIED mine", "DELETED mine");
    }
  }

  @Test
  void ownerReferencesAreStoredButNothingIsGarbageCollected() {
    ConfigMap owner = client.resource(configMap("gc", "owner", "x")).create();
    ConfigMap owned = configMap("gc", "owned", "x");
    owned.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder()
        .withApiVersion("v1").withKind("ConfigMap").withName("owner")
        .withUid(owner.getMetadata().getUid()).withController(true).build()));
    client.resource(owned).create();

    client.resource(owner).delete();

    assertThat(client.configMaps().inNamespace("gc").withName("owner").get()).isNull();
    assertThat(client.configMaps().inNamespace("gc").withName("owned").get().getMetadata().getOwnerReferences())
        .extracting(r -> r.getName()).containsExactly("owner");
  }

  @Test
  void deleteWithAFinalizerOnlyMarksTheObjectUntilTheFinalizerIsRemoved() {
    SchemaMigration toCreate = migration("finalized", "orders");
    toCreate.getMetadata().setFinalizers(List.of("lockstep.dev/finalizer"));
    client.resource(toCreate).create();

    resource("finalized").delete();
    SchemaMigration marked = resource("finalized").get();
    assertThat(marked.getMetadata().getDeletionTimestamp()).isNotBlank();

    resource("finalized").edit(m -> {
      m.getMetadata().setFinalizers(List.of());
      return m;
    });
    assertThat(resource("finalized").get()).isNull();
  }

  @Test
  void secretStringDataIsStoredAsBase64Data() {
    Secret created = client.resource(new SecretBuilder()
        .withNewMetadata().withName("db").withNamespace("secrets").endMetadata()
        .addToData("url", Base64.getEncoder().encodeToString("old".getBytes()))
        .addToStringData("url", "jdbc:postgresql://db/orders").addToStringData("password", "s3cr3t")
        .build()).create();

    Secret stored = client.secrets().inNamespace("secrets").withName("db").get();
    for (Secret secret : List.of(created, stored)) {
      assertThat(secret.getStringData()).isNullOrEmpty();
      assertThat(secret.getData()).containsOnlyKeys("url", "password");
      assertThat(new String(Base64.getDecoder().decode(secret.getData().get("url"))))
          .isEqualTo("jdbc:postgresql://db/orders");
    }
  }

  @Test
  void serverSideApplyIsNotSupported() {
    assertThatThrownBy(() -> client.resource(configMap("ssa", "applied", "x")).serverSideApply())
        .isInstanceOf(KubernetesClientException.class);
  }

  @Test
  void injectedErrorsAreRetriedByTheClientUnlessTheyOutlastItsRetries() {
    client.resource(configMap("faults", "cm", "x")).create();
    world.apiFaults().failNext(2, "GET", "/namespaces/faults/configmaps/cm", 500);
    assertThat(client.configMaps().inNamespace("faults").withName("cm").get()).isNotNull();
    assertThat(world.apiFaults().pending()).isZero();

    try (KubernetesClient impatient = world.newClient(c -> c.withRequestRetryBackoffLimit(0))) {
      world.apiFaults().failNext(1, "GET", "/namespaces/faults/configmaps/cm", 500);
      assertThatThrownBy(() -> impatient.configMaps().inNamespace("faults").withName("cm").get())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).isEqualTo(500);
            assertThat(e.getMessage()).contains("injected by the test world");
          });
      assertThat(impatient.configMaps().inNamespace("faults").withName("cm").get()).isNotNull();
    }
  }

  @Test
  void recordedExpectationsAnswerBeforeTheStoreAndThenTheStoreResumes() {
    client.resource(configMap("expect", "real", "x")).create();
    world.expect().get().withPath("/api/v1/namespaces/expect/configmaps/real")
        .andReturn(200, new ConfigMapBuilder().withNewMetadata().withName("real").withNamespace("expect")
            .endMetadata().addToData("k", "canned").build())
        .once();

    assertThat(client.configMaps().inNamespace("expect").withName("real").get().getData()).containsEntry("k", "canned");
    assertThat(client.configMaps().inNamespace("expect").withName("real").get().getData()).containsEntry("k", "v");
  }

  private static ConfigMap configMap(String namespace, String name, String migration) {
    return new ConfigMapBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace)
        .addToLabels("lockstep.dev/migration", migration).endMetadata()
        .addToData("k", "v")
        .build();
  }
}
