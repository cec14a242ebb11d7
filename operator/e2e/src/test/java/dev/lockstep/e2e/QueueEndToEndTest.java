package dev.lockstep.e2e;

import static dev.lockstep.reconcile.Migrations.migrate;
import static dev.lockstep.reconcile.Migrations.migration;
import static dev.lockstep.reconcile.Migrations.soak;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.StepStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Migrations never step on each other: one per database at a time, dependencies first. */
class QueueEndToEndTest extends ClusterTest {


  private static SchemaMigration named(String name, String version, String database, String secret, String scripts,
      String... deps) {
    SchemaMigration m = migration(migrate("expand", version), soak("soak", "2s"));
    m.getMetadata().setName(name);
    m.getSpec().getDatabase().setName(database);
    m.getSpec().getDatabase().getSecretRef().setName(secret);
    m.getSpec().getScripts().getConfigMapRef().setName(scripts);
    if (deps.length > 0) {
      m.getSpec().setDependsOn(List.of(deps));
    }
    return m;
  }

  /** From the start of a migration's first step to the end of its last. */
  private record Window(String name, Instant from, Instant to) {
    boolean overlaps(Window other) {
      return from.isBefore(other.to) && other.from.isBefore(to);
    }
  }

  private Window window(String name) {
    List<StepStatus> steps = world.get(name).getStatus().getSteps();
    return new Window(name, Instant.parse(steps.get(0).getStartedAt()),
        Instant.parse(steps.get(steps.size() - 1).getFinishedAt()));
  }

  @Test
  void migrationsOfOneDatabaseNeverOverlapWhileOtherDatabasesProceedInParallel() {
    String shared = ClusterFixture.uniqueName("shared");
    String other = ClusterFixture.uniqueName("other");
    world.database(shared, "shared-db");
    world.database(other, "other-db");
    world.scripts("first-scripts", Map.of("V1__a.sql", "CREATE TABLE a (id int PRIMARY KEY);"));
    world.scripts("second-scripts", Map.of("V1__a.sql", "CREATE TABLE a (id int PRIMARY KEY);",
        "V2__b.sql", "CREATE TABLE b (id int PRIMARY KEY);"));
    world.scripts("third-scripts", Map.of("V1__c.sql", "CREATE TABLE c (id int PRIMARY KEY);"));
    List<String> queuedMessages = new CopyOnWriteArrayList<>();

    world.applyAsIs(named("first", "1", shared, "shared-db", "first-scripts"));
    world.applyAsIs(named("second", "2", shared, "shared-db", "second-scripts"));
    world.applyAsIs(named("third", "1", other, "other-db", "third-scripts"));
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
      SchemaMigration second = world.get("second");
      if (second.getStatus() != null && second.getStatus().getPhase() == Phase.Queued) {
        queuedMessages.add(second.getStatus().getMessage());
      }
      return List.of("first", "second", "third").stream().allMatch(n -> {
        SchemaMigration m = world.get(n);
        return m.getStatus() != null && m.getStatus().getPhase() == Phase.Succeeded;
      });
    });

    Window first = window("first");
    Window second = window("second");
    Window third = window("third");
    assertThat(first.overlaps(second)).as("%s and %s share database %s", first, second, shared).isFalse();
    assertThat(first.overlaps(third) || second.overlaps(third))
        .as("a migration of another database runs alongside: %s %s %s", first, second, third).isTrue();
    assertThat(queuedMessages).as("second waited for first, saying so").anySatisfy(m ->
        assertThat(m).isIn("waiting for database " + shared + ": migration first is changing it",
            "waiting for database " + shared + ": migration first was queued first"));
    assertThat(world.client.leases().inNamespace(ClusterFixture.NAMESPACE).list().getItems())
        .as("every lease is given back at the end").isEmpty();
  }

  @Test
  void aDependencyRunsFirstAndAFailedOneHoldsItsDependentsBack() {
    String db = ClusterFixture.uniqueName("deps");
    world.database(db, "deps-db");
    world.scripts("good", Map.of("V1__a.sql", "CREATE TABLE a (id int PRIMARY KEY);",
        "V2__b.sql", "CREATE TABLE b (id int PRIMARY KEY);"));
    world.scripts("bad", Map.of("V1__a.sql", "CREATE TABLE a (id int REFERENCES nowhere(id));"));

    world.applyAsIs(named("after", "2", db, "deps-db", "good", "before"));
    world.applyAsIs(named("before", "1", db, "deps-db", "good"));
    world.awaitPhase("after", Phase.Succeeded);
    assertThat(window("before").to).isBeforeOrEqualTo(window("after").from);

    world.applyAsIs(named("broken", "1", ClusterFixture.uniqueName("x"), "deps-db", "bad"));
    world.applyAsIs(named("hostage", "2", db, "deps-db", "good", "broken"));
    world.awaitPhase("broken", Phase.Failed);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      SchemaMigration hostage = world.get("hostage");
      assertThat(hostage.getStatus().getPhase()).isEqualTo(Phase.Queued);
      assertThat(hostage.getStatus().getConditions()).anySatisfy(c -> {
        assertThat(c.getType()).isEqualTo("Stalled");
        assertThat(c.getStatus()).isEqualTo("True");
        assertThat(c.getReason()).isEqualTo("DependencyFailed");
        assertThat(c.getMessage()).contains("broken (Failed)");
      });
    });
    assertThat(world.jobs("hostage")).isEmpty();
  }

  @Test
  void aMissingDependencyOrACycleFailsValidation() {
    world.secret("orders-db");
    world.scripts("orders-migrations", Map.of("V1__a.sql", "CREATE TABLE a (id int PRIMARY KEY);"));

    world.apply(named("lonely", "1", world.database, "orders-db", "orders-migrations", "ghost"));
    world.apply(named("chicken", "1", world.database, "orders-db", "orders-migrations", "egg"));
    world.apply(named("egg", "1", world.database, "orders-db", "orders-migrations", "chicken"));

    assertThat(world.awaitPhase("lonely", Phase.Failed).getStatus().getMessage())
        .contains("spec.dependsOn names ghost, which is not a SchemaMigration in namespace shop");
    assertThat(world.awaitPhase("chicken", Phase.Failed).getStatus().getMessage())
        .contains("cycle: chicken -> egg -> chicken");
    assertThat(world.jobs("lonely")).isEmpty();
  }
}
