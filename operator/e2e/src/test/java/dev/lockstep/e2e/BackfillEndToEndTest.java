package dev.lockstep.e2e;

import static dev.lockstep.reconcile.Migrations.migrate;
import static dev.lockstep.reconcile.Migrations.migration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.api.Annotations;
import dev.lockstep.api.BackfillStep;
import dev.lockstep.api.BackfillThrottle;
import dev.lockstep.api.Phase;
import dev.lockstep.api.RollbackPolicy;
import dev.lockstep.api.RollbackSpec;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.Step;
import dev.lockstep.api.StepState;
import dev.lockstep.api.StepStatus;
import dev.lockstep.api.ThrottlePrometheus;
import dev.lockstep.world.FakePrometheus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A backfill step through the operator: batched, resumable, exactly once under concurrent writes. */
class BackfillEndToEndTest extends ClusterTest {

  static final Map<String, String> SCRIPTS = Map.of(
      "V1__create_items.sql", """
          CREATE TABLE items (id bigserial PRIMARY KEY, v int NOT NULL, filled int NOT NULL DEFAULT 0);
          INSERT INTO items (v) SELECT n FROM generate_series(1, 20000) AS n;
          """,
      "V2__add_doubled.sql", """
          ALTER TABLE items ADD COLUMN doubled int;
          -- A crash half-way through the first backfill attempt, once: sequences ignore rollbacks.
          CREATE SEQUENCE crash_once;
          CREATE FUNCTION crash_halfway() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF NEW.id = 10000 AND nextval('crash_once') = 1 THEN
              RAISE EXCEPTION 'simulated crash half-way';
            END IF;
            RETURN NEW;
          END $$;
          CREATE TRIGGER crash_halfway BEFORE UPDATE OF doubled ON items FOR EACH ROW EXECUTE FUNCTION crash_halfway();
          """);


  private static Step fill() {
    Step step = new Step();
    step.setName("fill");
    BackfillStep backfill = new BackfillStep();
    backfill.setTable("items");
    backfill.setSet("doubled = v * 2, filled = filled + 1");
    backfill.setWhere("doubled IS NULL");
    backfill.setBatchSize(500);
    step.setBackfill(backfill);
    return step;
  }

  @Test
  void aBackfillKilledHalfwayResumesAndFillsEveryRowExactlyOnceUnderConcurrentWrites() throws Exception {
    world.secret("orders-db");
    world.scripts("orders-migrations", SCRIPTS);
    SchemaMigration m = migration(migrate("expand", "2"), fill());
    RollbackSpec manual = new RollbackSpec();
    manual.setPolicy(RollbackPolicy.Manual);
    m.getSpec().setRollback(manual);
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger inserted = new AtomicInteger();
    Thread writer = new Thread(() -> write(writing, inserted), "concurrent-writes");

    world.apply(m);
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      SchemaMigration live = world.get("orders-currency");
      return live.getStatus() != null && live.getStatus().getSteps() != null
          && live.getStatus().getSteps().stream().anyMatch(s -> s.getName().equals("fill") && s.getState() != StepState.Pending);
    });
    writer.start();
    SchemaMigration failed = world.awaitPhase("orders-currency", Phase.Failed);
    writing.set(false);
    writer.join();

    StepStatus first = step(failed, "fill");
    assertThat(first.getState()).isEqualTo(StepState.Failed);
    assertThat(first.getMessage()).contains("simulated crash half-way");
    assertThat(failed.getStatus().getMessage()).contains("annotate lockstep.dev/retry=fill");
    long filledBeforeRetry = (Long) world.query("SELECT count(*) FROM items WHERE doubled IS NOT NULL").get(0).get(0);
    assertThat(filledBeforeRetry).as("the first attempt got part of the way").isBetween(1L, 10000L);

    world.client.resources(SchemaMigration.class).inNamespace(ClusterFixture.NAMESPACE).withName("orders-currency")
        .edit(r -> {
          r.getMetadata().getAnnotations().put(Annotations.RETRY, "fill");
          return r;
        });
    SchemaMigration done = world.awaitPhase("orders-currency", Phase.Succeeded);

    StepStatus fill = step(done, "fill");
    assertThat(fill.getAttempts()).isEqualTo(2);
    assertThat(fill.getMessage()).startsWith("changed " + (20000 + inserted.get()) + " rows");
    assertThat(world.query("SELECT count(*) FROM items WHERE doubled IS NULL OR doubled <> v * 2"))
        .containsExactly(List.of(0L));
    assertThat(world.query("SELECT filled, count(*) FROM items GROUP BY filled"))
        .as("every row changed exactly once").containsExactly(List.of(1, (long) (20000 + inserted.get())));
    assertThat(world.query("SELECT rows_done FROM lockstep_backfill_progress"))
        .containsExactly(List.of((long) (20000 + inserted.get())));
    assertThat(world.client.resources(SchemaMigration.class).inNamespace(ClusterFixture.NAMESPACE)
        .withName("orders-currency").get().getMetadata().getAnnotations())
        .as("a retry is asked for once").doesNotContainKey(Annotations.RETRY);
  }

  /**
   * A throttle on Prometheus (the fake one) holds the Job's batches back while the value is over its
   * maximum; the step's progress in status says so, and the step finishes once the value recovers.
   */
  @Test
  void aThrottledBackfillSaysWhyInItsProgressAndGoesOnWhenTheValueRecovers() throws Exception {
    try (FakePrometheus prometheus = FakePrometheus.start()) {
      prometheus.setValue("max(pg_replication_lag_seconds)", 30);
      world.secret("orders-db");
      world.scripts("orders-migrations", Map.of(
          "V1__create_items.sql", """
              CREATE TABLE items (id bigserial PRIMARY KEY, v int NOT NULL, filled int NOT NULL DEFAULT 0);
              INSERT INTO items (v) SELECT n FROM generate_series(1, 5000) AS n;
              """,
          "V2__add_doubled.sql", "ALTER TABLE items ADD COLUMN doubled int;"));
      Step fill = fill();
      BackfillThrottle throttle = new BackfillThrottle();
      ThrottlePrometheus source = new ThrottlePrometheus();
      source.setUrl(prometheus.url());
      source.setQuery("max(pg_replication_lag_seconds)");
      throttle.setPrometheus(source);
      throttle.setMax(10.0);
      throttle.setInterval("200ms");
      fill.getBackfill().setThrottle(throttle);
      world.apply(migration(migrate("expand", "2"), fill));

      await().atMost(Duration.ofSeconds(90)).until(() -> {
        SchemaMigration live = world.get("orders-currency");
        return live.getStatus() != null && live.getStatus().getSteps() != null
            && live.getStatus().getSteps().stream().anyMatch(s -> s.getName().equals("fill")
                && s.getProgress() != null && s.getProgress().contains("throttled:"));
      });

      StepStatus throttled = step(world.get("orders-currency"), "fill");
      assertThat(throttled.getState()).isEqualTo(StepState.Running);
      assertThat(throttled.getProgress())
          .endsWith("throttled: Prometheus `max(pg_replication_lag_seconds)` is 30, above the maximum 10");
      assertThat(world.query("SELECT count(*) FROM items WHERE doubled IS NOT NULL")).containsExactly(List.of(0L));

      prometheus.setValue("max(pg_replication_lag_seconds)", 2);
      SchemaMigration done = world.awaitPhase("orders-currency", Phase.Succeeded);

      assertThat(step(done, "fill").getMessage()).startsWith("changed 5000 rows");
      assertThat(world.query("SELECT filled, count(*) FROM items GROUP BY filled")).containsExactly(List.of(1, 5000L));
    }
  }

  private void write(AtomicBoolean writing, AtomicInteger inserted) {
    try (Connection c = world.login.dataSource().getConnection();
        PreparedStatement insert = c.prepareStatement("INSERT INTO items (v) VALUES (?)");
        PreparedStatement update = c.prepareStatement("UPDATE items SET v = v WHERE id = ?")) {
      while (writing.get()) {
        insert.setInt(1, ThreadLocalRandom.current().nextInt(1000));
        insert.executeUpdate();
        inserted.incrementAndGet();
        update.setLong(1, ThreadLocalRandom.current().nextLong(1, 20000));
        update.executeUpdate();
        Thread.sleep(5);
      }
    } catch (Exception e) {
      throw new IllegalStateException("the concurrent writer failed", e);
    }
  }

  private static StepStatus step(SchemaMigration m, String name) {
    return m.getStatus().getSteps().stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
  }
}
