package dev.lockstep.e2e;

import static dev.lockstep.reconcile.Migrations.approved;
import static dev.lockstep.reconcile.Migrations.migrate;
import static dev.lockstep.reconcile.Migrations.migration;
import static dev.lockstep.reconcile.Migrations.soak;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.api.Annotations;
import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.StepState;
import dev.lockstep.api.StepStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operator, end to end: real Jobs running the real runner against a real PostgreSQL. */
class MigrationEndToEndTest extends ClusterTest {

  static final Map<String, String> SCRIPTS = Map.of(
      "V1__create_orders.sql", "CREATE TABLE orders (id bigserial PRIMARY KEY, total numeric(12,2) NOT NULL);\n"
          + "INSERT INTO orders (total) VALUES (10.50), (99.99);",
      "U1__create_orders.sql", "DROP TABLE orders;",
      "V2__add_total_cents.sql", "ALTER TABLE orders ADD COLUMN total_cents bigint;",
      "U2__add_total_cents.sql", "ALTER TABLE orders DROP COLUMN total_cents;",
      "V3__fill_total_cents.sql", "UPDATE orders SET total_cents = (total * 100)::bigint WHERE total_cents IS NULL;",
      "U3__fill_total_cents.sql", "UPDATE orders SET total_cents = NULL;");


  private static StepStatus step(SchemaMigration m, String name) {
    return m.getStatus().getSteps().stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void migrateWaitMigrateSucceedsAndTheSchemaIsReallyThere() throws Exception {
    world.secret("orders-db");
    world.scripts("orders-migrations", SCRIPTS);
    world.apply(migration(migrate("expand", "2"), soak("soak", "1s"), migrate("fill", "3")));

    SchemaMigration done = world.awaitPhase("orders-currency", Phase.Succeeded);

    assertThat(done.getStatus().getSchemaVersion()).isEqualTo("3");
    assertThat(done.getStatus().getSteps()).extracting(StepStatus::getState)
        .containsOnly(StepState.Succeeded);
    assertThat(step(done, "expand").getVersionAfter()).isEqualTo("2");
    assertThat(step(done, "expand").getJob()).isEqualTo("orders-currency-expand-1");
    assertThat(step(done, "soak").getJob()).isNull();
    assertThat(step(done, "fill").getVersionBefore()).isEqualTo("2");
    assertThat(done.getStatus().getConditions()).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("Ready");
      assertThat(c.getStatus()).isEqualTo("True");
    });
    assertThat(world.columns("orders")).containsExactly("id", "total", "total_cents");
    assertThat(world.query("SELECT total_cents FROM orders ORDER BY id"))
        .containsExactly(List.of(1050L), List.of(9999L));
    assertThat(world.appliedVersions()).containsExactly("1", "2", "3");
    assertThat(world.jobs("orders-currency")).extracting(j -> j.getMetadata().getName())
        .containsExactlyInAnyOrder("orders-currency-expand-1", "orders-currency-fill-1");
    assertThat(world.events("orders-currency")).extracting(Event::getReason)
        .contains("StepStarted", "StepSucceeded", "Succeeded");
  }

  @Test
  void aFailingScriptEndsFailedWithTheSqlErrorAndNoLaterStepRuns() throws Exception {
    world.secret("orders-db");
    world.scripts("orders-migrations", Map.of(
        "V1__create_orders.sql", "CREATE TABLE orders (id bigserial PRIMARY KEY, customer bigint REFERENCES nowhere(id));"));
    world.apply(migration(migrate("expand", "1"), soak("after", "1s")));

    SchemaMigration failed = world.awaitPhase("orders-currency", Phase.Failed);

    StepStatus expand = step(failed, "expand");
    assertThat(expand.getState()).isEqualTo(StepState.Failed);
    assertThat(expand.getMessage()).contains("V1__create_orders.sql").contains("nowhere").contains("SQLSTATE 42P01");
    assertThat(step(failed, "after").getState()).isEqualTo(StepState.Pending);
    assertThat(failed.getStatus().getConditions()).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("Stalled");
      assertThat(c.getStatus()).isEqualTo("True");
      assertThat(c.getReason()).isEqualTo("StepFailed");
      assertThat(c.getMessage()).contains("nowhere");
    });
    assertThat(names(world.jobs("orders-currency"))).containsExactly("orders-currency-expand-1");
    assertThat(world.query("SELECT to_regclass('public.orders')")).containsExactly(Collections.singletonList(null));
    assertThat(world.appliedVersions()).isEmpty();
    assertThat(world.events("orders-currency")).extracting(Event::getReason).contains("StepFailed", "Failed");
  }

  @Test
  void aMissingSecretGivesAClearConditionAndNoJob() {
    world.scripts("orders-migrations", SCRIPTS);
    world.apply(migration(migrate("expand", "2")));

    SchemaMigration failed = world.awaitPhase("orders-currency", Phase.Failed);

    assertThat(failed.getStatus().getConditions()).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("Stalled");
      assertThat(c.getReason()).isEqualTo("ValidationFailed");
      assertThat(c.getMessage()).contains("Secret orders-db (spec.database.secretRef) does not exist");
    });
    assertThat(world.jobs("orders-currency")).isEmpty();
  }

  @Test
  void aFailedStepRollsEveryEarlierStepBack() throws Exception {
    world.secret("orders-db");
    world.scripts("orders-migrations", Map.of(
        "V1__create_orders.sql", SCRIPTS.get("V1__create_orders.sql"),
        "U1__create_orders.sql", SCRIPTS.get("U1__create_orders.sql"),
        "V2__add_total_cents.sql", SCRIPTS.get("V2__add_total_cents.sql"),
        "U2__add_total_cents.sql", SCRIPTS.get("U2__add_total_cents.sql"),
        "V3__contract.sql", "SELECT total FROM no_such_table;"));
    world.apply(migration(migrate("expand", "2"), soak("soak", "1s"), migrate("contract", "3")));

    SchemaMigration rolledBack = world.awaitPhase("orders-currency", Phase.RolledBack);

    assertThat(rolledBack.getStatus().getRollbackReason()).contains("step contract failed").contains("no_such_table");
    assertThat(step(rolledBack, "contract").getState()).isEqualTo(StepState.Failed);
    assertThat(step(rolledBack, "soak").getState()).isEqualTo(StepState.RolledBack);
    assertThat(step(rolledBack, "expand").getState()).isEqualTo(StepState.RolledBack);
    assertThat(step(rolledBack, "expand").getUndoJob()).isEqualTo("orders-currency-expand-undo-1");
    assertThat(rolledBack.getStatus().getSchemaVersion()).isNull();
    assertThat(world.query("SELECT to_regclass('public.orders')")).containsExactly(Collections.singletonList(null));
    assertThat(world.appliedVersions()).isEmpty();
    assertThat(world.jobs("orders-currency")).extracting(j -> j.getMetadata().getName())
        .containsExactlyInAnyOrder("orders-currency-expand-1", "orders-currency-contract-1",
            "orders-currency-expand-undo-1");
  }

  @Test
  void aStepWithoutUndoScriptsIsAPointOfNoReturn() throws Exception {
    world.secret("orders-db");
    world.scripts("orders-migrations", Map.of(
        "V1__create_orders.sql", SCRIPTS.get("V1__create_orders.sql"),
        "V2__broken.sql", "SELECT total FROM no_such_table;"));
    world.apply(migration(migrate("expand", "1"), migrate("contract", "2")));

    SchemaMigration failed = world.awaitPhase("orders-currency", Phase.Failed);

    assertThat(failed.getStatus().getConditions()).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("Stalled");
      assertThat(c.getReason()).isEqualTo("PointOfNoReturn");
      assertThat(c.getMessage()).contains("rollback stopped at step expand").contains("version 1 with no undo script");
    });
    assertThat(world.appliedVersions()).containsExactly("1");
  }

  @Test
  void aStepThatNeedsApprovalWaitsForTheAnnotation() throws Exception {
    world.secret("orders-db");
    world.scripts("orders-migrations", SCRIPTS);
    world.apply(migration(migrate("expand", "2"), approved(migrate("fill", "3"))));

    SchemaMigration waiting = world.awaitPhase("orders-currency", Phase.WaitingForApproval);
    assertThat(waiting.getStatus().getCurrentStep()).isEqualTo("fill");
    assertThat(waiting.getStatus().getMessage()).contains(Annotations.APPROVE + "=fill");
    assertThat(world.appliedVersions()).containsExactly("1", "2");

    world.client.resources(SchemaMigration.class).inNamespace(ClusterFixture.NAMESPACE).withName("orders-currency")
        .edit(m -> {
          m.getMetadata().getAnnotations().put(Annotations.APPROVE, "fill");
          return m;
        });

    world.awaitPhase("orders-currency", Phase.Succeeded);
    assertThat(world.appliedVersions()).containsExactly("1", "2", "3");
  }

  @Test
  void anAbortWhileWaitingForApprovalRollsBackAndNoLongerSaysItWaits() throws Exception {
    world.secret("orders-db");
    world.scripts("orders-migrations", SCRIPTS);
    world.apply(migration(migrate("expand", "2"), approved(migrate("fill", "3"))));
    SchemaMigration waiting = world.awaitPhase("orders-currency", Phase.WaitingForApproval);
    assertThat(step(waiting, "fill").getWaitingFor()).singleElement()
        .satisfies(hold -> assertThat(hold.getGate()).isEqualTo("approval"));

    annotate(Annotations.ABORT, "true");
    SchemaMigration rolledBack = world.awaitPhase("orders-currency", Phase.RolledBack);

    assertThat(step(rolledBack, "fill").getState()).isEqualTo(StepState.Pending);
    assertThat(step(rolledBack, "fill").getWaitingFor()).as("no stale approval hold").isNull();
    assertThat(step(rolledBack, "fill").getMessage()).isNull();
    assertThat(world.appliedVersions()).isEmpty();
  }

  @Test
  void anOperatorRestartInTheMiddleOfAJobNeitherRepeatsNorLosesIt() throws Exception {
    world.secret("orders-db");
    world.scripts("orders-migrations", SCRIPTS);
    var hold = world.cluster.kubelet().faults().holdJobs(
        dev.lockstep.world.kubelet.KubeletFaults.jobNamed("orders-currency-fill-1"));
    world.apply(migration(migrate("expand", "2"), migrate("fill", "3")));
    await().atMost(Duration.ofSeconds(60)).until(() -> !hold.heldJobs().isEmpty());

    world.cluster.stopOperator();
    hold.release();
    world.cluster.startOperator();

    SchemaMigration done = world.awaitPhase("orders-currency", Phase.Succeeded);
    assertThat(world.appliedVersions()).containsExactly("1", "2", "3");
    assertThat(world.jobs("orders-currency")).hasSize(2);
    assertThat(step(done, "fill").getAttempts()).isEqualTo(1);
  }

  @Test
  void aHighRiskStepIsRefusedUntilApprovedOrAccepted() throws Exception {
    world.secret("orders-db");
    world.scripts("orders-migrations", Map.of(
        "V1__create_orders.sql", SCRIPTS.get("V1__create_orders.sql"),
        "V2__drop_total.sql", "ALTER TABLE orders DROP COLUMN total;"));
    world.apply(migration(migrate("expand", "1"), migrate("contract", "2")));

    SchemaMigration refused = world.awaitPhase("orders-currency", Phase.Failed);

    assertThat(refused.getStatus().getMessage())
        .contains("step contract is high risk").contains("V2__drop_total.sql:1")
        .contains("add approval: required to the step, or the annotation lockstep.dev/accept-risk: contract");
    assertThat(refused.getStatus().getRisk().getLevel()).isEqualTo("High");
    assertThat(refused.getStatus().getRisk().getFindings()).anySatisfy(f -> {
      assertThat(f.getScript()).isEqualTo("V2__drop_total.sql");
      assertThat(f.getLock()).isEqualTo("ACCESS EXCLUSIVE");
    });
    assertThat(world.jobs("orders-currency")).isEmpty();

    world.client.resources(SchemaMigration.class).inNamespace(ClusterFixture.NAMESPACE).withName("orders-currency")
        .edit(m -> {
          m.getMetadata().getAnnotations().put(Annotations.ACCEPT_RISK, "contract");
          m.getSpec().getSteps().get(0).setTimeout("10m"); // an edit, so the failed validation runs again
          return m;
        });
    world.awaitPhase("orders-currency", Phase.Succeeded);
    assertThat(world.columns("orders")).containsExactly("id");
  }

  @Test
  void pauseHoldsBeforeTheNextStepAndAbortRollsBack() throws Exception {
    world.secret("orders-db");
    world.scripts("orders-migrations", SCRIPTS);
    SchemaMigration m = migration(migrate("expand", "2"), soak("soak", "10m"), migrate("fill", "3"));
    m.getMetadata().getAnnotations().put(Annotations.PAUSE, "true");
    world.apply(m);

    SchemaMigration paused = world.awaitPhase("orders-currency", Phase.Paused);
    assertThat(paused.getStatus().getMessage()).contains("before step expand");
    assertThat(paused.getStatus().getConditions()).allSatisfy(c -> assertThat(c.getStatus()).isEqualTo("False"));
    assertThat(world.jobs("orders-currency")).isEmpty();

    annotate(Annotations.PAUSE, null);
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      SchemaMigration live = world.get("orders-currency");
      return live.getStatus().getSteps().stream().anyMatch(s -> s.getName().equals("soak")
          && s.getState() == StepState.Running);
    });
    assertThat(world.appliedVersions()).containsExactly("1", "2");

    annotate(Annotations.ABORT, "true");
    SchemaMigration rolledBack = world.awaitPhase("orders-currency", Phase.RolledBack);

    assertThat(rolledBack.getStatus().getRollbackReason()).contains("aborted by the annotation lockstep.dev/abort");
    assertThat(step(rolledBack, "fill").getState()).isEqualTo(StepState.Pending);
    assertThat(world.appliedVersions()).isEmpty();
  }

  private void annotate(String key, String value) {
    world.client.resources(SchemaMigration.class).inNamespace(ClusterFixture.NAMESPACE).withName("orders-currency")
        .edit(m -> {
          if (value == null) {
            m.getMetadata().getAnnotations().remove(key);
          } else {
            m.getMetadata().getAnnotations().put(key, value);
          }
          return m;
        });
  }

  static List<String> names(List<Job> jobs) {
    return jobs.stream().map(j -> j.getMetadata().getName()).toList();
  }
}
