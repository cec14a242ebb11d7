package dev.lockstep.e2e;

import static dev.lockstep.reconcile.Migrations.migrate;
import static dev.lockstep.reconcile.Migrations.migration;
import static dev.lockstep.reconcile.Migrations.soak;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.api.FlagChange;
import dev.lockstep.api.FlagConfigMapRef;
import dev.lockstep.api.FlagSource;
import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.Step;
import dev.lockstep.api.StepState;
import dev.lockstep.api.StepStatus;
import dev.lockstep.world.kubelet.KubeletFaults;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator can die at any instant: restarted at every step boundary, and in the middle of a
 * running Job, it still applies every migration exactly once, starts no Job twice, leaves flags
 * consistent, and reaches the same end.
 */
class CrashResumeEndToEndTest extends ClusterTest {

  static final Map<String, String> SCRIPTS = Map.of(
      "V1__create_orders.sql", "CREATE TABLE orders (id bigserial PRIMARY KEY, total numeric(12,2));",
      "U1__create_orders.sql", "DROP TABLE orders;",
      "V2__add_total_cents.sql", "ALTER TABLE orders ADD COLUMN total_cents bigint;",
      "U2__add_total_cents.sql", "ALTER TABLE orders DROP COLUMN total_cents;",
      "V3__fill.sql", "UPDATE orders SET total_cents = (total * 100)::bigint WHERE total_cents IS NULL;",
      "U3__fill.sql", "UPDATE orders SET total_cents = NULL;");
  static final String FLAGS = "{\"flags\": {\"orders-dual-write\": {\"state\": \"ENABLED\","
      + " \"variants\": {\"on\": true, \"off\": false}, \"defaultVariant\": \"off\"}}}";

  @BeforeEach
  void prepare() {
    world.secret("orders-db");
    world.client.resource(new ConfigMapBuilder().withNewMetadata().withName("orders-flags")
        .withNamespace(ClusterFixture.NAMESPACE).endMetadata().addToData("flags.flagd.json", FLAGS).build()).create();
  }

  private static SchemaMigration walk() {
    Step flip = new Step();
    flip.setName("dual-write");
    FlagChange on = new FlagChange();
    on.setFlag("orders-dual-write");
    on.setVariant("on");
    flip.setFlags(List.of(on));
    SchemaMigration m = migration(migrate("expand", "2"), flip, soak("soak", "1s"), migrate("fill", "3"));
    FlagSource source = new FlagSource();
    FlagConfigMapRef flags = new FlagConfigMapRef();
    flags.setName("orders-flags");
    source.setConfigMap(flags);
    m.getSpec().setFlagSource(source);
    return m;
  }

  /** Restarts the operator as soon as {@code condition} holds of the migration. */
  private void restartWhen(Predicate<SchemaMigration> condition) {
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
      SchemaMigration m = world.get("orders-currency");
      return m != null && m.getStatus() != null && m.getStatus().getSteps() != null && condition.test(m);
    });
    world.cluster.stopOperator();
    world.cluster.startOperator();
  }

  private static Predicate<SchemaMigration> step(String name, StepState state) {
    return m -> m.getStatus().getSteps().stream().anyMatch(s -> s.getName().equals(name) && s.getState() == state);
  }

  private String flagsText() {
    return world.client.configMaps().inNamespace(ClusterFixture.NAMESPACE).withName("orders-flags").get()
        .getData().get("flags.flagd.json");
  }

  @Test
  void restartedAtEveryStepBoundaryAndMidJobItStillAppliesEverythingExactlyOnce() throws Exception {
    world.scripts("orders-migrations", SCRIPTS);
    var hold = world.cluster.kubelet().faults().holdJobs(KubeletFaults.jobNamed("orders-currency-fill-1"));
    world.apply(walk());

    for (String name : List.of("expand", "dual-write", "soak")) {
      restartWhen(step(name, StepState.Running).or(step(name, StepState.Succeeded)));
      restartWhen(step(name, StepState.Succeeded));
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> !hold.heldJobs().isEmpty());
    world.cluster.stopOperator();
    hold.release();
    world.cluster.startOperator();

    SchemaMigration done = world.awaitPhase("orders-currency", Phase.Succeeded);
    assertThat(world.appliedVersions()).containsExactly("1", "2", "3");
    assertThat(world.query("SELECT version, count(*) FROM flyway_schema_history GROUP BY version HAVING count(*) > 1"))
        .as("no version applied twice").isEmpty();
    assertThat(world.jobs("orders-currency")).extracting(j -> j.getMetadata().getName())
        .containsExactlyInAnyOrder("orders-currency-expand-1", "orders-currency-fill-1");
    assertThat(done.getStatus().getSteps()).extracting(StepStatus::getAttempts).containsOnly(1);
    assertThat(flagsText()).contains("\"defaultVariant\": \"on\"");
    assertThat(done.getStatus().getFlags().get("orders-dual-write").getPreviousDefinition())
        .contains("\"defaultVariant\": \"off\"");
  }

  @Test
  void restartedThroughoutARollbackItStillUndoesEverythingOnceAndRestoresTheFlag() throws Exception {
    Map<String, String> scripts = new HashMap<>(SCRIPTS);
    scripts.put("V3__fill.sql", "SELECT total FROM no_such_table;");
    world.scripts("orders-migrations", scripts);
    world.apply(walk());

    restartWhen(step("fill", StepState.Failed));
    restartWhen(step("soak", StepState.RolledBack));
    restartWhen(step("dual-write", StepState.RolledBack));
    restartWhen(m -> m.getStatus().getPhase() == Phase.RolledBack);

    SchemaMigration rolledBack = world.awaitPhase("orders-currency", Phase.RolledBack);
    assertThat(flagsText()).as("the flag is back exactly as it was").isEqualTo(FLAGS);
    assertThat(world.appliedVersions()).isEmpty();
    assertThat(rolledBack.getStatus().getSchemaVersion()).isNull();
    assertThat(world.jobs("orders-currency")).extracting(j -> j.getMetadata().getName())
        .containsExactlyInAnyOrder("orders-currency-expand-1", "orders-currency-fill-1",
            "orders-currency-expand-undo-1");
  }
}
