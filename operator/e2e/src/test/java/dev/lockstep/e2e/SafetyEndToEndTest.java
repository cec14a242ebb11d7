package dev.lockstep.e2e;

import static dev.lockstep.reconcile.Migrations.migrate;
import static dev.lockstep.reconcile.Migrations.migration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.api.Annotations;
import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.StepState;
import dev.lockstep.api.StepStatus;
import dev.lockstep.world.kubelet.KubeletFaults;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The safety fixes of issue 15, end to end: nothing runs beside a Job (abort, deletion), and undo can
 * be retried.
 */
class SafetyEndToEndTest extends ClusterTest {

  private static final String NAME = "orders-currency";

  @Test
  void anAbortWhileAJobRunsLetsItFinishKeepsTheLeaseAndThenRollsItsStepBackToo() throws Exception {
    world.secret("orders-db");
    world.scripts("orders-migrations", MigrationEndToEndTest.SCRIPTS);
    var hold = world.cluster.kubelet().faults().holdJobs(KubeletFaults.jobNamed(NAME + "-fill-1"));
    SchemaMigration applied = world.apply(migration(migrate("expand", "2"), migrate("fill", "3")));
    await().atMost(Duration.ofSeconds(60)).until(() -> !hold.heldJobs().isEmpty());

    annotate(Annotations.ABORT, "true");
    // While the Job is held, the operator must neither start an undo beside it nor end the migration.
    await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).until(() -> {
      SchemaMigration live = world.get(NAME);
      return live.getStatus().getPhase() == Phase.Progressing
          && MigrationEndToEndTest.names(world.jobs(NAME)).stream().noneMatch(n -> n.contains("-undo-"));
    });
    assertThat(world.get(NAME).getStatus().getMessage()).contains("waiting for Job " + NAME + "-fill-1");
    Lease lease = world.client.leases().inNamespace(ClusterFixture.NAMESPACE)
        .withName("lockstep-db-" + world.database).get();
    assertThat(lease).as("the lease is kept while a Job runs").isNotNull();
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(applied.getMetadata().getUid());

    hold.release();
    SchemaMigration rolledBack = world.awaitPhase(NAME, Phase.RolledBack);

    assertThat(rolledBack.getStatus().getSteps()).extracting(StepStatus::getState).containsOnly(StepState.RolledBack);
    assertThat(world.appliedVersions()).isEmpty();
    assertThat(MigrationEndToEndTest.names(world.jobs(NAME))).containsExactlyInAnyOrder(
        NAME + "-expand-1", NAME + "-fill-1", NAME + "-fill-undo-1", NAME + "-expand-undo-1");
    assertThat(world.client.leases().inNamespace(ClusterFixture.NAMESPACE).list().getItems()).isEmpty();
  }

  @Test
  void deletingAMigrationWhileAJobRunsWaitsForTheJobThenReleasesTheDatabaseAndRollsNothingBack() throws Exception {
    world.secret("orders-db");
    world.scripts("orders-migrations", MigrationEndToEndTest.SCRIPTS);
    var hold = world.cluster.kubelet().faults().holdJobs(KubeletFaults.jobNamed(NAME + "-fill-1"));
    SchemaMigration applied = world.apply(migration(migrate("expand", "2"), migrate("fill", "3")));
    await().atMost(Duration.ofSeconds(60)).until(() -> !hold.heldJobs().isEmpty());

    world.client.resources(SchemaMigration.class).inNamespace(ClusterFixture.NAMESPACE).withName(NAME).delete();

    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(8)).until(() -> {
      SchemaMigration live = world.get(NAME);
      return live != null && live.getMetadata().getDeletionTimestamp() != null;
    });
    Lease lease = world.client.leases().inNamespace(ClusterFixture.NAMESPACE)
        .withName("lockstep-db-" + world.database).get();
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(applied.getMetadata().getUid());

    hold.release();
    await().atMost(Duration.ofSeconds(60)).until(() -> world.get(NAME) == null);
    assertThat(world.client.leases().inNamespace(ClusterFixture.NAMESPACE).list().getItems()).isEmpty();
    assertThat(world.appliedVersions()).as("deleting rolls nothing back").containsExactly("1", "2", "3");
    await().atMost(Duration.ofSeconds(30)).until(() -> world.jobs(NAME).isEmpty()
        && world.client.pods().inNamespace(ClusterFixture.NAMESPACE).withLabel("job-name").list().getItems().isEmpty());
  }

  @Test
  void aFailedUndoIsRetriedWithTheAnnotationAsANewAttempt() throws Exception {
    world.secret("orders-db");
    world.scripts("orders-migrations", Map.of(
        "V1__create_orders.sql", MigrationEndToEndTest.SCRIPTS.get("V1__create_orders.sql"),
        "U1__create_orders.sql", MigrationEndToEndTest.SCRIPTS.get("U1__create_orders.sql"),
        "V2__add_total_cents.sql", MigrationEndToEndTest.SCRIPTS.get("V2__add_total_cents.sql"),
        "U2__add_total_cents.sql", MigrationEndToEndTest.SCRIPTS.get("U2__add_total_cents.sql"),
        "V3__contract.sql", "SELECT total FROM no_such_table;"));
    world.cluster.kubelet().faults().failNextJob(KubeletFaults.jobNamed(NAME + "-expand-undo-1"),
        "{\"error\":\"U2__add_total_cents.sql: lock timeout\"}");
    world.apply(migration(migrate("expand", "2"), migrate("contract", "3")));

    SchemaMigration failed = world.awaitPhase(NAME, Phase.Failed);
    assertThat(failed.getStatus().getMessage()).contains(Annotations.RETRY + "=expand");
    assertThat(world.appliedVersions()).containsExactly("1", "2");

    annotate(Annotations.RETRY, "expand");
    SchemaMigration rolledBack = world.awaitPhase(NAME, Phase.RolledBack);

    StepStatus expand = rolledBack.getStatus().getSteps().get(0);
    assertThat(expand.getState()).isEqualTo(StepState.RolledBack);
    assertThat(expand.getUndoAttempts()).isEqualTo(2);
    assertThat(expand.getUndoJob()).isEqualTo(NAME + "-expand-undo-2");
    assertThat(world.appliedVersions()).isEmpty();
    assertThat(world.get(NAME).getMetadata().getAnnotations()).doesNotContainKey(Annotations.RETRY);
  }

  /**
   * Secrets never leak (issue 15, prove 5), a first slice: a migration that applies, fails, rolls back,
   * and one whose Secret's URL carries the password and points nowhere. The database's password appears
   * in no status field, Event, Job spec (credentials come only through secretKeyRef) or pod status
   * (termination messages included).
   */
  @Test
  void thePasswordAppearsInNoStatusEventJobOrPod() throws Exception {
    world.secret("orders-db");
    world.scripts("orders-migrations", Map.of(
        "V1__create_orders.sql", MigrationEndToEndTest.SCRIPTS.get("V1__create_orders.sql"),
        "U1__create_orders.sql", MigrationEndToEndTest.SCRIPTS.get("U1__create_orders.sql"),
        "V2__contract.sql", "SELECT total FROM no_such_table;"));
    world.apply(migration(migrate("expand", "1"), migrate("contract", "2")));
    world.awaitPhase(NAME, Phase.RolledBack);

    String password = world.login.password();
    var badUrl = new io.fabric8.kubernetes.api.model.SecretBuilder(world.login.toSecret(ClusterFixture.NAMESPACE, "bad-db"))
        .addToStringData("url", "jdbc:postgresql://" + world.login.username() + ":" + password
            + "@127.0.0.1:1/orders?password=" + password + "&connectTimeout=1")
        .build();
    badUrl.getData().remove("url");
    world.client.resource(badUrl).create();
    SchemaMigration other = migration(migrate("expand", "1"));
    other.getMetadata().setName("orders-elsewhere");
    other.getSpec().getDatabase().setSecretRef(new dev.lockstep.api.SecretRef());
    other.getSpec().getDatabase().getSecretRef().setName("bad-db");
    other.getSpec().getDatabase().setName(ClusterFixture.uniqueName("elsewhere"));
    world.applyAsIs(other);
    SchemaMigration failed = world.awaitPhase("orders-elsewhere", Phase.Failed);
    assertThat(failed.getStatus().getMessage()).contains("step expand failed");

    List<String> seen = new java.util.ArrayList<>();
    for (String name : List.of(NAME, "orders-elsewhere")) {
      seen.add(Serialization.asJson(world.get(name)));
      seen.add(Serialization.asJson(world.jobs(name)));
      world.events(name).forEach(e -> seen.add(Serialization.asJson(e)));
    }
    seen.add(Serialization.asJson(world.client.pods().inNamespace(ClusterFixture.NAMESPACE).list()));
    assertThat(seen).noneMatch(text -> text.contains(password));
    assertThat(String.join("\n", seen)).contains("secretKeyRef");
  }

  /** As {@code kubectl annotate}: a merge patch, so it never conflicts with the operator's status writes. */
  private void annotate(String key, String value) {
    world.client.resources(SchemaMigration.class).inNamespace(ClusterFixture.NAMESPACE).withName(NAME)
        .patch(PatchContext.of(PatchType.JSON_MERGE),
            Serialization.asJson(Map.of("metadata", Map.of("annotations", Map.of(key, value)))));
  }
}
