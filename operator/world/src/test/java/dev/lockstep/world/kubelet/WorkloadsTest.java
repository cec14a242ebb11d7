package dev.lockstep.world.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.world.KubernetesWorld;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Deployments and StatefulSets as the operator sees them: pods, addresses, readiness, status. */
class WorkloadsTest {

  private static final String APP_IMAGE = "registry.example.com/orders:1.0";
  private static final AtomicInteger NAMESPACES = new AtomicInteger();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final FakeApp app = new FakeApp();
  private static KubernetesWorld world;
  private static KubernetesClient client;
  private static SimulatedKubelet kubelet;

  @BeforeAll
  static void start() {
    world = KubernetesWorld.start();
    client = world.newClient();
    kubelet = SimulatedKubelet.start(world.client(),
        new ImageCatalog().registerWorkloadImage("registry.example.com/orders", app));
  }

  @AfterAll
  static void stop() {
    kubelet.close();
    world.close();
  }

  private static String namespace() {
    return "apps-" + NAMESPACES.incrementAndGet();
  }

  private static DeploymentBuilder plainDeployment(String namespace, String name, int replicas) {
    return new DeploymentBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withNewSpec().withReplicas(replicas)
        .withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate()
        .withNewMetadata().addToLabels("app", name).addToAnnotations("lockstep.dev/schema-compat", "1-2").endMetadata()
        .withNewSpec()
        .addToContainers(new ContainerBuilder().withName("app").withImage("busybox:1.36").build())
        .endSpec()
        .endTemplate().endSpec();
  }

  private static Deployment appDeployment(String namespace, String name, int replicas, String greeting) {
    client.resource(new ConfigMapBuilder().withNewMetadata().withName(name + "-flags").withNamespace(namespace)
        .endMetadata().addToData("flags.json", "{\"v\":1}").build()).createOr(c -> c.update());
    return plainDeployment(namespace, name, replicas).editSpec().editTemplate().editSpec()
        .withContainers(new ContainerBuilder().withName("app").withImage(APP_IMAGE)
            .addNewPort().withName("http").withContainerPort(8080).endPort()
            .addNewEnv().withName("GREETING").withValue(greeting).endEnv()
            .withNewReadinessProbe().withNewHttpGet().withPath("/ready").withNewPort("http").endHttpGet()
            .withPeriodSeconds(1).withFailureThreshold(1).endReadinessProbe()
            .addNewVolumeMount().withName("flags").withMountPath("/etc/app").endVolumeMount()
            .build())
        .addNewVolume().withName("flags").withNewConfigMap().withName(name + "-flags").endConfigMap().endVolume()
        .endSpec().endTemplate().endSpec().build();
  }

  private static Deployment deployment(String namespace, String name) {
    return client.apps().deployments().inNamespace(namespace).withName(name).get();
  }

  private static List<Pod> pods(String namespace, String app) {
    return client.pods().inNamespace(namespace).withLabel("app", app).list().getItems();
  }

  private static void awaitRolledOut(String namespace, String name, int replicas) {
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      Deployment d = deployment(namespace, name);
      assertThat(d.getStatus()).isNotNull();
      assertThat(d.getStatus().getObservedGeneration()).isEqualTo(d.getMetadata().getGeneration());
      assertThat(d.getStatus().getReplicas()).isEqualTo(replicas);
      assertThat(d.getStatus().getUpdatedReplicas()).isEqualTo(replicas);
      assertThat(d.getStatus().getReadyReplicas()).isEqualTo(replicas);
      assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(replicas);
      assertThat(condition(d, "Progressing").getReason()).isEqualTo("NewReplicaSetAvailable");
    });
  }

  private static DeploymentCondition condition(Deployment deployment, String type) {
    return deployment.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst()
        .orElseThrow();
  }

  private static String get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void aDeploymentGetsReadyPodsWithTheirOwnAddressesAndAReplicaSet() {
    String ns = namespace();
    client.resource(plainDeployment(ns, "reporting", 3).build()).create();

    awaitRolledOut(ns, "reporting", 3);

    Deployment d = deployment(ns, "reporting");
    assertThat(condition(d, "Available").getStatus()).isEqualTo("True");
    assertThat(condition(d, "Available").getReason()).isEqualTo("MinimumReplicasAvailable");
    List<ReplicaSet> replicaSets = client.apps().replicaSets().inNamespace(ns).list().getItems();
    assertThat(replicaSets).singleElement().satisfies(rs -> {
      assertThat(rs.getMetadata().getName()).startsWith("reporting-");
      assertThat(rs.getMetadata().getOwnerReferences().get(0).getUid()).isEqualTo(d.getMetadata().getUid());
      assertThat(rs.getStatus().getReadyReplicas()).isEqualTo(3);
    });
    String replicaSet = replicaSets.get(0).getMetadata().getName();
    List<Pod> pods = pods(ns, "reporting");
    assertThat(pods).hasSize(3).allSatisfy(pod -> {
      assertThat(pod.getMetadata().getName()).matches(replicaSet + "-[bcdfghjklmnpqrstvwxz2456789]{5}");
      assertThat(pod.getMetadata().getAnnotations()).containsEntry("lockstep.dev/schema-compat", "1-2");
      assertThat(pod.getMetadata().getLabels()).containsKey("pod-template-hash");
      assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
      assertThat(pod.getStatus().getPodIP()).startsWith("127.0.");
      assertThat(pod.getStatus().getHostIP()).isEqualTo("127.0.0.1");
      assertThat(WorkloadPods.ready(pod)).isTrue();
    });
    assertThat(pods).extracting(p -> p.getStatus().getPodIP()).doesNotHaveDuplicates();
  }

  @Test
  void aRegisteredImageServesOnThePodAddressAndReadinessFollowsItsProbe() throws Exception {
    String ns = namespace();
    client.resource(appDeployment(ns, "orders", 2, "hello")).create();
    awaitRolledOut(ns, "orders", 2);

    for (Pod pod : pods(ns, "orders")) {
      assertThat(get("http://" + pod.getStatus().getPodIP() + ":8080/"))
          .isEqualTo("hello from " + pod.getMetadata().getName() + " {\"v\":1}");
      assertThat(kubelet.logs(ns, pod.getMetadata().getName()))
          .contains("listening on " + pod.getStatus().getPodIP() + ":8080");
    }

    Pod first = pods(ns, "orders").get(0);
    app.failing.put(first.getMetadata().getName(), true);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(WorkloadPods.ready(client.resource(first).get())).isFalse();
      assertThat(deployment(ns, "orders").getStatus().getReadyReplicas()).isEqualTo(1);
    });
    app.failing.remove(first.getMetadata().getName());
    awaitRolledOut(ns, "orders", 2);
  }

  @Test
  void configMapVolumesFollowTheConfigMap() {
    String ns = namespace();
    client.resource(appDeployment(ns, "flags", 1, "hi")).create();
    awaitRolledOut(ns, "flags", 1);
    String address = "http://" + pods(ns, "flags").get(0).getStatus().getPodIP() + ":8080/";

    client.configMaps().inNamespace(ns).withName("flags-flags").edit(c -> {
      c.getData().put("flags.json", "{\"v\":2}");
      return c;
    });

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(get(address)).endsWith("{\"v\":2}"));
  }

  @Test
  void aPodMarkedUnreadyStaysUnreadyUntilMarkedReady() {
    String ns = namespace();
    client.resource(plainDeployment(ns, "web", 2).build()).create();
    awaitRolledOut(ns, "web", 2);
    String pod = pods(ns, "web").get(0).getMetadata().getName();

    kubelet.faults().markUnready(ns, pod);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(WorkloadPods.ready(client.pods().inNamespace(ns).withName(pod).get())).isFalse();
      assertThat(deployment(ns, "web").getStatus().getReadyReplicas()).isEqualTo(1);
    });

    kubelet.faults().markReady(ns, pod);
    awaitRolledOut(ns, "web", 2);
  }

  @Test
  void aDeletedPodIsReplaced() {
    String ns = namespace();
    client.resource(plainDeployment(ns, "api", 2).build()).create();
    awaitRolledOut(ns, "api", 2);
    String victim = pods(ns, "api").get(0).getMetadata().getName();

    kubelet.faults().deletePod(ns, victim);

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(pods(ns, "api"))
        .hasSize(2).noneMatch(p -> p.getMetadata().getName().equals(victim)).allMatch(WorkloadPods::ready));
  }

  @Test
  void aTemplateChangeRollsThePodsAndAScaleChangeAddsOrRemovesPods() {
    String ns = namespace();
    client.resource(plainDeployment(ns, "worker", 2).build()).create();
    awaitRolledOut(ns, "worker", 2);
    String oldHash = pods(ns, "worker").get(0).getMetadata().getLabels().get("pod-template-hash");

    client.apps().deployments().inNamespace(ns).withName("worker").edit(d -> {
      d.getSpec().getTemplate().getMetadata().getAnnotations().put("lockstep.dev/schema-compat", "2-3");
      return d;
    });

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(pods(ns, "worker")).hasSize(2)
        .allSatisfy(p -> {
          assertThat(p.getMetadata().getLabels().get("pod-template-hash")).isNotEqualTo(oldHash);
          assertThat(p.getMetadata().getAnnotations()).containsEntry("lockstep.dev/schema-compat", "2-3");
        }));
    awaitRolledOut(ns, "worker", 2);
    assertThat(deployment(ns, "worker").getMetadata().getGeneration()).isEqualTo(2L);
    assertThat(client.apps().replicaSets().inNamespace(ns).list().getItems())
        .extracting(rs -> rs.getSpec().getReplicas()).containsExactlyInAnyOrder(0, 2);

    client.apps().deployments().inNamespace(ns).withName("worker").scale(4);
    awaitRolledOut(ns, "worker", 4);
    client.apps().deployments().inNamespace(ns).withName("worker").scale(1);
    awaitRolledOut(ns, "worker", 1);
    assertThat(pods(ns, "worker")).hasSize(1);
  }

  @Test
  void aStatefulSetMakesOrdinalPodsInOrderAndRollsThemOnATemplateChange() {
    String ns = namespace();
    client.resource(new StatefulSetBuilder()
        .withNewMetadata().withName("ledger").withNamespace(ns).endMetadata()
        .withNewSpec().withReplicas(2).withServiceName("ledger")
        .withNewSelector().addToMatchLabels("app", "ledger").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "ledger").endMetadata()
        .withNewSpec().addToContainers(new ContainerBuilder().withName("app").withImage("busybox:1.36").build())
        .endSpec().endTemplate().endSpec().build()).create();

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      StatefulSet set = client.apps().statefulSets().inNamespace(ns).withName("ledger").get();
      assertThat(set.getStatus()).isNotNull();
      assertThat(set.getStatus().getReadyReplicas()).isEqualTo(2);
      assertThat(set.getStatus().getObservedGeneration()).isEqualTo(1L);
    });
    assertThat(pods(ns, "ledger")).extracting(p -> p.getMetadata().getName())
        .containsExactlyInAnyOrder("ledger-0", "ledger-1");
    String firstRevision = client.apps().statefulSets().inNamespace(ns).withName("ledger").get()
        .getStatus().getUpdateRevision();

    client.apps().statefulSets().inNamespace(ns).withName("ledger").edit(s -> {
      s.getSpec().getTemplate().getMetadata().setAnnotations(Map.of("lockstep.dev/schema-compat", "2-3"));
      return s;
    });

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      StatefulSet set = client.apps().statefulSets().inNamespace(ns).withName("ledger").get();
      assertThat(set.getStatus().getUpdateRevision()).isNotEqualTo(firstRevision);
      assertThat(set.getStatus().getCurrentRevision()).isEqualTo(set.getStatus().getUpdateRevision());
      assertThat(set.getStatus().getUpdatedReplicas()).isEqualTo(2);
      assertThat(set.getStatus().getReadyReplicas()).isEqualTo(2);
    });
    assertThat(pods(ns, "ledger")).allSatisfy(p ->
        assertThat(p.getMetadata().getAnnotations()).containsEntry("lockstep.dev/schema-compat", "2-3"));
  }
}
