package dev.lockstep.e2e;

import static dev.lockstep.reconcile.Migrations.migrate;
import static dev.lockstep.reconcile.Migrations.migration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.reconcile.Conditions;
import dev.lockstep.reconcile.Reason;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An exception in a reconcile shows on the resource as a condition, and goes away once it stops. */
class ReconcileErrorEndToEndTest extends ClusterTest {

  private static Condition condition(SchemaMigration m, String type) {
    List<Condition> conditions = m.getStatus() == null || m.getStatus().getConditions() == null
        ? List.of() : m.getStatus().getConditions();
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  @Test
  void anApiErrorWhileReconcilingBecomesAConditionWithTheError() {
    world.secret("orders-db");
    world.scripts("orders-migrations", MigrationEndToEndTest.SCRIPTS);
    // 403 is not retried by the client: the reconcile that validates the Secret throws.
    world.cluster.world().apiFaults().failNext(1000, "GET", "/secrets/orders-db", 403);

    world.apply(migration(migrate("expand", "2")));

    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      Condition reconciling = condition(world.get("orders-currency"), Conditions.RECONCILING);
      assertThat(reconciling).isNotNull();
      assertThat(reconciling.getReason()).isEqualTo(Reason.ReconcileError.name());
      assertThat(reconciling.getStatus()).isEqualTo("True");
      assertThat(reconciling.getMessage()).startsWith("reconcile failed (attempt ")
          .contains("KubernetesClientException").contains("injected by the test world");
    });
    assertThat(world.jobs("orders-currency")).as("nothing ran on a failed observation").isEmpty();

    world.cluster.world().apiFaults().clear();

    SchemaMigration done = world.awaitPhase("orders-currency", Phase.Succeeded);
    assertThat(done.getStatus().getConditions()).extracting(Condition::getReason)
        .doesNotContain(Reason.ReconcileError.name());
    assertThat(condition(done, Conditions.READY).getStatus()).isEqualTo("True");
  }
}
