package dev.lockstep.e2e;

import static dev.lockstep.reconcile.Migrations.migrate;
import static dev.lockstep.reconcile.Migrations.migration;
import static dev.lockstep.reconcile.Migrations.soak;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.api.AnnotationCompatibility;
import dev.lockstep.api.Compatibility;
import dev.lockstep.api.FlagChange;
import dev.lockstep.api.FlagConfigMapRef;
import dev.lockstep.api.FlagSource;
import dev.lockstep.api.Guards;
import dev.lockstep.api.Phase;
import dev.lockstep.api.PrometheusCheck;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.Step;
import dev.lockstep.api.StepHold;
import dev.lockstep.api.StepState;
import dev.lockstep.cli.Lockstep;
import dev.lockstep.runner.ContainerEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.lockstep.api.Workload;
import dev.lockstep.api.WorkloadKind;
import dev.lockstep.world.FakePrometheus;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Gates and guards against simulated pods: compatibility, readiness, Prometheus; rollback on breach. */
class GatesEndToEndTest extends ClusterTest {

  static final Map<String, String> SCRIPTS = Map.of(
      "V1__create_orders.sql", "CREATE TABLE orders (id bigserial PRIMARY KEY, total numeric(12,2));",
      "U1__create_orders.sql", "DROP TABLE orders;",
      "V2__add_total_cents.sql", "ALTER TABLE orders ADD COLUMN total_cents bigint;",
      "U2__add_total_cents.sql", "ALTER TABLE orders DROP COLUMN total_cents;");

  /** flagd JSON, formatted the way a person writes it; restore must give back exactly this text. */
  static final String FLAGS = """
      {
        "$schema": "https://flagd.dev/schema/v0/flags.json",
        "flags": {
          "orders-dual-write": {
            "state": "ENABLED",
            "variants": { "on": true, "off": false },
            "defaultVariant": "off"
          }
        }
      }
      """;

  @BeforeEach
  void prepare() {
    world.secret("orders-db");
    world.scripts("orders-migrations", SCRIPTS);
  }

  private void deployment(String compat) {
    Deployment d = new DeploymentBuilder()
        .withNewMetadata().withName("orders").withNamespace(ClusterFixture.NAMESPACE).endMetadata()
        .withNewSpec().withReplicas(2)
        .withNewSelector().addToMatchLabels("app", "orders").endSelector()
        .withNewTemplate()
        .withNewMetadata().addToLabels("app", "orders").addToAnnotations("lockstep.dev/schema-compat", compat).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("example/orders:1").endContainer().endSpec()
        .endTemplate().endSpec().build();
    world.client.resource(d).create();
  }

  private static Workload orders(boolean declaresCompatibility) {
    Workload w = new Workload();
    w.setKind(WorkloadKind.Deployment);
    w.setName("orders");
    if (declaresCompatibility) {
      Compatibility c = new Compatibility();
      c.setAnnotation(new AnnotationCompatibility());
      w.setCompatibility(c);
    }
    return w;
  }

  private List<Pod> pods() {
    return world.client.pods().inNamespace(ClusterFixture.NAMESPACE).withLabel("app", "orders").list().getItems();
  }

  private void awaitStep(String migration, String step, StepState state) {
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      SchemaMigration m = world.get(migration);
      return m.getStatus() != null && m.getStatus().getSteps() != null && m.getStatus().getSteps().stream()
          .anyMatch(s -> s.getName().equals(step) && s.getState() == state);
    });
  }

  @Test
  void aMigrateStepWaitsUntilEveryPodSupportsItsVersion() throws Exception {
    deployment("1-1");
    SchemaMigration m = migration(migrate("expand", "1"), migrate("add-cents", "2"));
    m.getSpec().setWorkloads(List.of(orders(true)));
    world.apply(m);

    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> assertThat(world.get("orders-currency").getStatus()
        .getSteps().get(1).getMessage())
        .contains("waiting for every ready pod to support schema version 2")
        .contains("Deployment/orders")
        .contains("supports 1, not 2"));
    assertThat(world.appliedVersions()).containsExactly("1");
    assertThat(world.jobs("orders-currency")).hasSize(1);
    // What holds the step, as typed status, one Event, and in kubectl lockstep status.
    StepHold hold = world.get("orders-currency").getStatus().getSteps().get(1).getWaitingFor().get(0);
    assertThat(hold.getGate()).isEqualTo("compatibility");
    assertThat(hold.getSubject()).isEqualTo("Deployment/orders");
    assertThat(hold.getMessage()).contains("2 of 2 ready pods do not support schema version 2", "supports 1, not 2");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(world.events("orders-currency"))
        .filteredOn(e -> "StepWaiting".equals(e.getReason())).singleElement()
        .satisfies(e -> assertThat(e.getMessage()).startsWith("step add-cents waits at the compatibility gate:"
            + " Deployment/orders: 2 of 2 ready pods do not support schema version 2")));
    String status = kubectlStatus("orders-currency");
    assertThat(status).contains("Waiting for: step add-cents at the compatibility gate (for ")
        .contains("Deployment/orders: 2 of 2 ready pods do not support schema version 2").contains("supports 1, not 2");

    world.client.apps().deployments().inNamespace(ClusterFixture.NAMESPACE).withName("orders").edit(d -> {
      d.getSpec().getTemplate().getMetadata().getAnnotations().put("lockstep.dev/schema-compat", "1-2");
      return d;
    });

    world.awaitPhase("orders-currency", Phase.Succeeded);
    assertThat(world.appliedVersions()).containsExactly("1", "2");
  }

  @Test
  void aStepHeldPastItsTimeoutSaysWhatHeldIt() throws Exception {
    deployment("1-1");
    Step addCents = migrate("add-cents", "2");
    addCents.setTimeout("5s");
    SchemaMigration m = migration(migrate("expand", "1"), addCents);
    m.getSpec().setWorkloads(List.of(orders(true)));
    world.apply(m);

    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> assertThat(world.get("orders-currency")
        .getStatus().getSteps().get(1).getState()).isEqualTo(StepState.Failed));

    assertThat(world.get("orders-currency").getStatus().getSteps().get(1).getMessage())
        .startsWith("did not finish within its timeout of 5s: still waiting for compatibility: Deployment/orders:"
            + " 2 of 2 ready pods do not support schema version 2: ")
        .contains("supports 1, not 2");
    assertThat(world.appliedVersions()).containsExactly("1");
  }

  private String kubectlStatus(String name) throws Exception {
    Path kubeconfig = Files.createTempFile("kubeconfig", ".yaml");
    try {
      Files.writeString(kubeconfig, """
          apiVersion: v1
          kind: Config
          clusters: [{name: local, cluster: {server: "%s"}}]
          contexts: [{name: local, context: {cluster: local, user: me, namespace: %s}}]
          current-context: local
          users: [{name: me, user: {}}]
          """.formatted(world.cluster.world().apiUrl(), ClusterFixture.NAMESPACE));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int exit = Lockstep.run(new String[] {"kubectl", "--kubeconfig", kubeconfig.toString(), "status", name},
          ContainerEnvironment.of(Map.of(), Path::of, new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
      assertThat(exit).isZero();
      return out.toString(StandardCharsets.UTF_8);
    } finally {
      Files.deleteIfExists(kubeconfig);
    }
  }

  @Test
  void aPodTurningUnreadyAfterAFlagFlipRollsBackTheFlagAndTheSchema() throws Exception {
    deployment("1-2");
    world.client.resource(new ConfigMapBuilder().withNewMetadata().withName("orders-flags")
        .withNamespace(ClusterFixture.NAMESPACE).endMetadata().addToData("flags.flagd.json", FLAGS).build()).create();
    Step flip = new Step();
    flip.setName("dual-write");
    FlagChange on = new FlagChange();
    on.setFlag("orders-dual-write");
    on.setVariant("on");
    flip.setFlags(List.of(on));
    SchemaMigration m = migration(migrate("expand", "2"), flip, soak("soak", "2m"));
    m.getSpec().setWorkloads(List.of(orders(false)));
    FlagSource source = new FlagSource();
    FlagConfigMapRef flags = new FlagConfigMapRef();
    flags.setName("orders-flags");
    source.setConfigMap(flags);
    m.getSpec().setFlagSource(source);
    Guards guards = new Guards();
    guards.setPodsReady(true);
    m.getSpec().setGuards(guards);
    world.apply(m);

    awaitStep("orders-currency", "soak", StepState.Running);
    assertThat(world.client.configMaps().inNamespace(ClusterFixture.NAMESPACE).withName("orders-flags").get()
        .getData().get("flags.flagd.json")).contains("\"defaultVariant\": \"on\"");
    world.cluster.kubelet().faults().markUnready(ClusterFixture.NAMESPACE, pods().get(0).getMetadata().getName());

    SchemaMigration rolledBack = world.awaitPhase("orders-currency", Phase.RolledBack);

    assertThat(rolledBack.getStatus().getRollbackReason()).startsWith("guard breached: podsReady: Deployment/orders");
    assertThat(world.client.configMaps().inNamespace(ClusterFixture.NAMESPACE).withName("orders-flags").get()
        .getData().get("flags.flagd.json")).as("the flag definition is restored byte for byte").isEqualTo(FLAGS);
    assertThat(rolledBack.getStatus().getSchemaVersion()).isNull();
    assertThat(world.appliedVersions()).isEmpty();
    assertThat(rolledBack.getStatus().getFlags().get("orders-dual-write").getVariant()).isEqualTo("off");
  }

  @Test
  void aPrometheusGuardBreachRollsBack() throws Exception {
    try (FakePrometheus prometheus = FakePrometheus.start()) {
      prometheus.setValue("orders_error_ratio", 0.0);
      SchemaMigration m = migration(migrate("expand", "2"), soak("soak", "2m"));
      Guards guards = new Guards();
      PrometheusCheck check = new PrometheusCheck();
      check.setUrl(prometheus.url());
      check.setQuery("orders_error_ratio");
      check.setMax(0.01);
      check.setForDuration("2s");
      guards.setPrometheus(check);
      m.getSpec().setGuards(guards);
      world.apply(m);

      awaitStep("orders-currency", "soak", StepState.Running);
      assertThat(world.get("orders-currency").getStatus().getPhase()).isEqualTo(Phase.Progressing);
      prometheus.setValue("orders_error_ratio", 0.2);

      SchemaMigration rolledBack = world.awaitPhase("orders-currency", Phase.RolledBack);

      assertThat(rolledBack.getStatus().getRollbackReason()).startsWith("guard breached: prometheus:")
          .contains("0.2");
      assertThat(world.appliedVersions()).isEmpty();
      assertThat(prometheus.queries("orders_error_ratio")).isGreaterThan(1);
    }
  }
}
