package dev.lockstep.gates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.api.AnnotationCompatibility;
import dev.lockstep.api.Compatibility;
import dev.lockstep.api.HttpCompatibility;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.SchemaMigrationSpec;
import dev.lockstep.api.SchemaMigrationStatus;
import dev.lockstep.api.Workload;
import dev.lockstep.api.WorkloadKind;
import dev.lockstep.cache.ClientReads;
import dev.lockstep.gates.CompatibilityCheck.Verdict;
import dev.lockstep.world.KubernetesWorld;
import dev.lockstep.world.kubelet.ImageCatalog;
import dev.lockstep.world.kubelet.SimulatedKubelet;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Asking every ready pod of a workload, against simulated pods that really listen on their addresses. */
class WorkloadCompatibilityTest {

  private static final String IMAGE = "registry.example.com/orders";
  /**
   * Not 8080: pod addresses are unique within one JVM only, so another test run on the same machine
   * whose pods listen on 8080 could hold the same address and port.
   */
  private static final int PORT = 28417;
  private static final AtomicInteger NAMESPACES = new AtomicInteger();
  private static final SchemaCompatApp app = new SchemaCompatApp();
  private static KubernetesWorld world;
  private static KubernetesClient client;
  private static SimulatedKubelet kubelet;
  private static WorkloadCompatibility compatibility;

  @BeforeAll
  static void start() {
    world = KubernetesWorld.start();
    client = world.newClient();
    kubelet = SimulatedKubelet.start(world.client(), new ImageCatalog().registerWorkloadImage(IMAGE, app));
    // Read through to the API server: what is checked here is the asking, not the caching.
    compatibility = new KubernetesWorkloadCompatibility(new WorkloadCaches(new ClientReads<>(client, Deployment.class),
        new ClientReads<>(client, StatefulSet.class), new ClientReads<>(client, Pod.class)));
  }

  @AfterAll
  static void stop() {
    kubelet.close();
    world.close();
  }

  private static String namespace() {
    return "compat-" + NAMESPACES.incrementAndGet();
  }

  /** A Deployment of the app whose pods each answer {@code range} over HTTP. */
  private static void deployApp(String namespace, String name, int replicas, String range) {
    client.resource(new DeploymentBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withNewSpec().withReplicas(replicas)
        .withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
        .withNewSpec().addToContainers(new ContainerBuilder().withName("app").withImage(IMAGE + ":1.4.0")
            .addNewPort().withName("http").withContainerPort(PORT).endPort()
            .addNewEnv().withName("SCHEMA_COMPAT").withValue(range).endEnv()
            .build())
        .endSpec().endTemplate().endSpec().build()).create();
    awaitReady(namespace, name, replicas);
  }

  private static Workload httpWorkload(String name) {
    HttpCompatibility http = new HttpCompatibility();
    http.setPort(PORT);
    Compatibility compat = new Compatibility();
    compat.setHttp(http);
    return workload(WorkloadKind.Deployment, name, compat);
  }

  private static Workload workload(WorkloadKind kind, String name, Compatibility compat) {
    Workload workload = new Workload();
    workload.setKind(kind);
    workload.setName(name);
    workload.setCompatibility(compat);
    return workload;
  }

  private static List<Pod> pods(String namespace, String app) {
    return client.pods().inNamespace(namespace).withLabel("app", app).list().getItems().stream()
        .sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList();
  }

  private static void awaitReady(String namespace, String app, int replicas) {
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      List<Pod> pods = pods(namespace, app);
      assertThat(pods).as(() -> "pods of " + app + ": " + states(pods)).filteredOn(Pods::ready).hasSize(replicas);
    });
  }

  /** Why pods are not ready, e.g. a container that could not start because its port was taken. */
  private static String states(List<Pod> pods) {
    return pods.stream().map(p -> p.getMetadata().getName() + " " + (p.getStatus() == null
        ? "without status" : p.getStatus().getContainerStatuses().stream()
            .map(c -> c.getState().getWaiting() == null ? "ready=" + c.getReady() : c.getState().getWaiting().getMessage())
            .toList())).toList().toString();
  }

  private static String describe(Pod pod) {
    return pod.getMetadata().getName() + " (" + pod.getStatus().getPodIP() + ")";
  }

  @Test
  void aVersionEveryReadyPodSupportsIsSatisfiedAndPodsOfOtherWorkloadsAreNotAsked() {
    String ns = namespace();
    deployApp(ns, "orders", 3, "1-3");
    deployApp(ns, "billing", 1, "1-1");

    CompatibilityCheck check = compatibility.check(ns, httpWorkload("orders"), "3");

    assertThat(check.verdict()).isEqualTo(Verdict.SUPPORTED);
    assertThat(check.satisfied()).isTrue();
    assertThat(check.askedPods()).containsExactlyElementsOf(pods(ns, "orders").stream()
        .map(p -> p.getMetadata().getName()).toList());
    assertThat(check.failures()).isEmpty();
    assertThat(check.message()).isEqualTo("Deployment/orders: all 3 ready pods support schema version 3");
    assertThat(pods(ns, "orders")).allSatisfy(p -> assertThat(app.asked(p.getMetadata().getName())).isEqualTo(1));
    assertThat(app.asked(pods(ns, "billing").get(0).getMetadata().getName())).isZero();
  }

  @Test
  void aPodThatAnswersTooLateIsUnknownAndNoGuardBreachThenSupportedAgain() {
    String ns = namespace();
    deployApp(ns, "orders", 2, "1-3");
    Pod busy = pods(ns, "orders").get(0);
    WorkloadCompatibility impatient = new KubernetesWorkloadCompatibility(new WorkloadCaches(
        new ClientReads<>(client, Deployment.class), new ClientReads<>(client, StatefulSet.class),
        new ClientReads<>(client, Pod.class)),
        new CompatibilityProbes(new HttpCompatibilityProbe(Duration.ofSeconds(2)), new AnnotationCompatibilityProbe()));
    SchemaMigration atVersion2 = new SchemaMigration();
    atVersion2.setMetadata(new ObjectMetaBuilder().withName("m").withNamespace(ns).build());
    atVersion2.setSpec(new SchemaMigrationSpec());
    atVersion2.getSpec().setWorkloads(List.of(httpWorkload("orders")));
    atVersion2.setStatus(new SchemaMigrationStatus());
    atVersion2.getStatus().setSchemaVersion("2");
    GuardChecks guards = new GuardChecks((n, w) -> Rollout.missing("unused"), impatient, (u, q) -> Reading.failed("unused"));

    app.slowOnce(busy.getMetadata().getName(), Duration.ofSeconds(5));
    CompatibilityCheck late = impatient.check(ns, httpWorkload("orders"), "2");

    assertThat(late.verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(late.satisfied()).as("a gate still waits for an unknown pod").isFalse();
    // On a loaded machine the other pod may be late too; what matters is that late is never a "no".
    assertThat(late.failures()).allMatch(f -> f.kind() == PodFailure.Kind.UNKNOWN)
        .anySatisfy(f -> assertThat(f.message()).contains(busy.getMetadata().getName(), "no answer within 2s (unknown"));

    app.slowOnce(busy.getMetadata().getName(), Duration.ofSeconds(5));
    assertThat(guards.check(atVersion2, java.time.Instant.now()).breach())
        .as("a probe that times out behind traffic is not a breach").isNull();

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(impatient.check(ns, httpWorkload("orders"), "2").verdict()).isEqualTo(Verdict.SUPPORTED));
  }

  @Test
  void onePodThatSupportsLessIsNamedWithWhatItSupports() {
    String ns = namespace();
    deployApp(ns, "orders", 3, "1-3");
    Pod behind = pods(ns, "orders").get(1);
    app.supports(behind.getMetadata().getName(), "1", "2");

    CompatibilityCheck check = compatibility.check(ns, httpWorkload("orders"), "3");

    assertThat(check.verdict()).isEqualTo(Verdict.UNSUPPORTED);
    assertThat(check.satisfied()).isFalse();
    assertThat(check.askedPods()).hasSize(3);
    assertThat(check.failures()).singleElement().satisfies(failure -> {
      assertThat(failure.pod()).isEqualTo(behind.getMetadata().getName());
      assertThat(failure.kind()).isEqualTo(PodFailure.Kind.OUT_OF_RANGE);
      assertThat(failure.message()).isEqualTo(describe(behind) + ": supports 1-2, not 3");
    });
    assertThat(check.message()).isEqualTo(
        "Deployment/orders: 1 of 3 ready pods does not support schema version 3: " + describe(behind)
            + ": supports 1-2, not 3");
    assertThat(compatibility.check(ns, httpWorkload("orders"), "2").verdict()).isEqualTo(Verdict.SUPPORTED);
  }

  @Test
  void aPodThatIsNotReadyIsNotAsked() {
    String ns = namespace();
    deployApp(ns, "orders", 3, "1-3");
    Pod behind = pods(ns, "orders").get(0);
    String name = behind.getMetadata().getName();
    app.supports(name, "1", "2");

    kubelet.faults().markUnready(ns, name);
    await().atMost(Duration.ofSeconds(10)).until(() -> !Pods.ready(client.pods().inNamespace(ns).withName(name).get()));
    int askedBefore = app.asked(name);

    CompatibilityCheck check = compatibility.check(ns, httpWorkload("orders"), "3");

    assertThat(check.verdict()).isEqualTo(Verdict.SUPPORTED);
    assertThat(check.askedPods()).hasSize(2).doesNotContain(name);
    assertThat(check.message()).isEqualTo("Deployment/orders: all 2 ready pods support schema version 3");
    assertThat(app.asked(name)).isEqualTo(askedBefore);
  }

  @Test
  void aTerminatingPodStillServesSoItIsAskedAndAGateWaitsUntilItAnswersOrIsGone() {
    String ns = namespace();
    deployApp(ns, "orders", 2, "1-3");
    Pod leaving = pods(ns, "orders").get(0);
    String name = leaving.getMetadata().getName();
    app.supports(name, "1", "2");
    // A finalizer keeps the deleted pod in Terminating, as a grace period does.
    client.pods().inNamespace(ns).withName(name).edit(p -> {
      p.getMetadata().setFinalizers(List.of("test.lockstep.dev/hold"));
      return p;
    });
    client.pods().inNamespace(ns).withName(name).delete();
    await().atMost(Duration.ofSeconds(10)).until(() -> Pods.terminating(client.pods().inNamespace(ns).withName(name).get()));
    try {
      CompatibilityCheck check = compatibility.check(ns, httpWorkload("orders"), "3");

      assertThat(check.verdict()).isEqualTo(Verdict.UNSUPPORTED);
      assertThat(check.askedPods()).contains(name);
      assertThat(check.failures()).singleElement().satisfies(f -> assertThat(f.pod()).isEqualTo(name));
      assertThat(check.message()).contains("ready or terminating pods").contains("supports 1-2, not 3");

      app.answer(name, 503, "shutting down");
      assertThat(compatibility.check(ns, httpWorkload("orders"), "3").failures())
          .as("a guard does not hold a terminating pod's silence against it").noneMatch(f -> f.pod().equals(name));
      CompatibilityCheck gate = compatibility.checkBeforeChange(ns, httpWorkload("orders"), "3");
      assertThat(gate.satisfied()).isFalse();
      assertThat(gate.failures()).anySatisfy(f -> {
        assertThat(f.pod()).isEqualTo(name);
        assertThat(f.kind()).isEqualTo(PodFailure.Kind.TERMINATING);
      });
    } finally {
      client.pods().inNamespace(ns).withName(name).edit(p -> {
        p.getMetadata().setFinalizers(List.of());
        return p;
      });
    }
  }

  @Test
  void aPodThatCannotTellCountsAsNotSupporting() {
    String ns = namespace();
    deployApp(ns, "orders", 2, "1-3");
    Pod broken = pods(ns, "orders").get(0);
    app.answer(broken.getMetadata().getName(), 500, "NullPointerException");

    CompatibilityCheck check = compatibility.check(ns, httpWorkload("orders"), "3");

    assertThat(check.verdict()).isEqualTo(Verdict.UNSUPPORTED);
    assertThat(check.failures()).singleElement().satisfies(failure -> {
      assertThat(failure.kind()).isEqualTo(PodFailure.Kind.NO_ANSWER);
      assertThat(failure.message()).isEqualTo(describe(broken) + ": GET http://" + broken.getStatus().getPodIP()
          + ":" + PORT + "/lockstep/compat answered 500: NullPointerException");
    });
  }

  @Test
  void theAnnotationFormIsReadFromEachReadyPodOfAStatefulSet() {
    String ns = namespace();
    client.resource(new StatefulSetBuilder()
        .withNewMetadata().withName("ledger").withNamespace(ns).endMetadata()
        .withNewSpec().withReplicas(2).withServiceName("ledger")
        .withNewSelector().addToMatchLabels("app", "ledger").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "ledger")
        .addToAnnotations("lockstep.dev/schema-compat", "1-2").endMetadata()
        .withNewSpec().addToContainers(new ContainerBuilder().withName("app").withImage("busybox:1.36").build())
        .endSpec().endTemplate().endSpec().build()).create();
    awaitReady(ns, "ledger", 2);
    Compatibility byAnnotation = new Compatibility();
    byAnnotation.setAnnotation(new AnnotationCompatibility());
    Workload ledger = workload(WorkloadKind.StatefulSet, "ledger", byAnnotation);

    assertThat(compatibility.check(ns, ledger, "2").message())
        .isEqualTo("StatefulSet/ledger: all 2 ready pods support schema version 2");
    CompatibilityCheck three = compatibility.check(ns, ledger, "3");
    assertThat(three.verdict()).isEqualTo(Verdict.UNSUPPORTED);
    assertThat(three.failures()).extracting(PodFailure::message).containsExactly(
        describe(client.pods().inNamespace(ns).withName("ledger-0").get()) + ": supports 1-2, not 3",
        describe(client.pods().inNamespace(ns).withName("ledger-1").get()) + ": supports 1-2, not 3");
  }

  @Test
  void aWorkloadWithNoReadyPodsIsNotSatisfied() {
    String ns = namespace();
    deployApp(ns, "orders", 0, "1-3");

    CompatibilityCheck check = compatibility.check(ns, httpWorkload("orders"), "3");

    assertThat(check.verdict()).isEqualTo(Verdict.NO_READY_PODS);
    assertThat(check.satisfied()).isFalse();
    assertThat(check.message()).isEqualTo("Deployment/orders: no ready pods to ask whether they support schema version 3");
  }

  @Test
  void aMissingWorkloadIsNotSatisfied() {
    CompatibilityCheck check = compatibility.check(namespace(), httpWorkload("orders"), "3");

    assertThat(check.verdict()).isEqualTo(Verdict.WORKLOAD_MISSING);
    assertThat(check.satisfied()).isFalse();
    assertThat(check.message()).isEqualTo("Deployment/orders does not exist; create it, or remove it from spec.workloads");
  }

  @Test
  void aWorkloadWithoutCompatibilityHasNothingToAsk() {
    CompatibilityCheck check = compatibility.check(namespace(), workload(WorkloadKind.Deployment, "web", null), "3");

    assertThat(check.verdict()).isEqualTo(Verdict.NOT_DECLARED);
    assertThat(check.satisfied()).isTrue();
    assertThat(check.message()).isEqualTo("Deployment/web declares no compatibility; only its readiness is checked");
  }

  @Test
  void aVersionThatIsNotAFlywayVersionIsNotSatisfied() {
    CompatibilityCheck check = compatibility.check(namespace(), httpWorkload("orders"), "v3");

    assertThat(check.verdict()).isEqualTo(Verdict.INVALID_VERSION);
    assertThat(check.satisfied()).isFalse();
    assertThat(check.message()).isEqualTo("Deployment/orders: cannot check schema version v3: \"v3\" is not a Flyway"
        + " version; write digits separated by dots, such as 2 or 1.10");
  }
}
