package dev.lockstep.e2e;

import static dev.lockstep.reconcile.Migrations.migrate;
import static dev.lockstep.reconcile.Migrations.migration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.api.BackfillStep;
import dev.lockstep.api.BackfillUndo;
import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.Step;
import dev.lockstep.api.StepState;
import dev.lockstep.api.StepStatus;
import dev.lockstep.world.kubelet.KubeletFaults;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A backfill killed mid-batch by deleting its runner pod (issue 15, prove 1), as Kubernetes deletes
 * it: gracefully (SIGTERM: the batch in flight commits, the runner stops and says it was
 * interrupted) and with a grace period of 0 (SIGKILL while a batch's UPDATE runs: its session is
 * ended, the batch rolled back). Either way the operator starts the step's next attempt, which
 * continues from the checkpoint: every row is changed exactly once (a counter column sees a second
 * change), and the Jobs are exactly attempt 1 and attempt 2, one after the other. Past the bound of
 * interruptions the step fails and the migration rolls back cleanly.
 */
class PodKillEndToEndTest extends ClusterTest {

  private static final String NAME = "orders-currency";
  private static final int ROWS = 5000;

  /** While {@code faults.hold_backfill} has a row, the batch holding order 2500 sleeps that many seconds. */
  static final Map<String, String> SCRIPTS = Map.of(
      "V1__create_orders.sql", """
          CREATE TABLE orders (id bigserial PRIMARY KEY, total numeric(12,2) NOT NULL, filled int NOT NULL DEFAULT 0);
          INSERT INTO orders (total) SELECT n / 100.0 FROM generate_series(1, 5000) AS n;
          """,
      "U1__create_orders.sql", "DROP TABLE orders;",
      "V2__add_total_cents.sql", """
          ALTER TABLE orders ADD COLUMN total_cents bigint;
          CREATE FUNCTION cents_of(row_id bigint, total numeric) RETURNS bigint LANGUAGE plpgsql AS $$
          DECLARE pause int;
          BEGIN
            IF row_id = 2500 AND to_regclass('faults.hold_backfill') IS NOT NULL THEN
              EXECUTE 'SELECT max(seconds) FROM faults.hold_backfill' INTO pause;
              PERFORM pg_sleep(coalesce(pause, 0));
            END IF;
            RETURN (total * 100)::bigint;
          END $$;
          """,
      "U2__add_total_cents.sql", "DROP FUNCTION cents_of(bigint, numeric); ALTER TABLE orders DROP COLUMN total_cents;");

  @Test
  void aBackfillPodDeletedGracefullyCommitsItsBatchInFlightAndTheNextAttemptFinishesTheRest() throws Exception {
    setUp();
    hold(3);
    world.apply(migration(migrate("expand", "2"), fill()));
    awaitBatchSleeping();
    long committedBefore = count("SELECT count(*) FROM orders WHERE filled = 1");
    assertThat(committedBefore).as("the batches before order 2500").isBetween(1L, 2499L);
    release();
    var secondAttempt = world.cluster.kubelet().faults().holdJobs(KubeletFaults.jobNamed(NAME + "-fill-2"));
    try {
      deleteRunnerPod(NAME + "-fill-1", null);

      await().atMost(Duration.ofSeconds(30)).until(() -> secondAttempt.heldJobs().size() == 1);
      // SIGTERM let the batch in flight (orders 2001 to 2500) commit with its checkpoint, and no other start.
      long committed = count("SELECT count(*) FROM orders WHERE filled = 1");
      assertThat(committed).isEqualTo(count("SELECT rows_done FROM lockstep_backfill_progress"));
      assertThat(committed).isGreaterThanOrEqualTo(2500L).isLessThan(ROWS);
      assertThat(committed % 500).as("whole batches").isZero();
    } finally {
      secondAttempt.release();
    }

    SchemaMigration done = world.awaitPhase(NAME, Phase.Succeeded);
    assertEveryRowChangedOnce();
    assertThat(count("SELECT rows_done FROM lockstep_backfill_progress")).isEqualTo(ROWS);
    assertAttemptsOneAfterTheOther(done);
  }

  @Test
  void aBackfillPodKilledWithNoGracePeriodLosesOnlyTheBatchInFlightWhichTheNextAttemptRedoes() throws Exception {
    setUp();
    hold(120);
    world.apply(migration(migrate("expand", "2"), fill()));
    awaitBatchSleeping();
    long committedBefore = count("SELECT count(*) FROM orders WHERE filled = 1");
    release(); // the sleep under way goes on; the next attempt's does not sleep

    deleteRunnerPod(NAME + "-fill-1", 0L);
    await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT count(*) FROM pg_stat_activity"
        + " WHERE wait_event = 'PgSleep' AND application_name = 'lockstep backfill'") == 0L);
    SchemaMigration done = world.awaitPhase(NAME, Phase.Succeeded);
    assertEveryRowChangedOnce();
    assertThat(count("SELECT rows_done FROM lockstep_backfill_progress")).isEqualTo(ROWS);
    assertThat(committedBefore).as("the killed batch was rolled back; its rows were changed by attempt 2 only")
        .isLessThan(2500L);
    assertAttemptsOneAfterTheOther(done);
  }

  @Test
  void aBackfillInterruptedMoreOftenThanTheBoundFailsAndRollsBackCleanly() throws Exception {
    setUp();
    hold(120);
    world.apply(migration(migrate("expand", "2"), fill()));
    for (int attempt = 1; attempt <= 4; attempt++) {
      awaitBatchSleeping();
      deleteRunnerPod(NAME + "-fill-" + attempt, 0L);
    }

    SchemaMigration rolledBack = world.awaitPhase(NAME, Phase.RolledBack);

    StepStatus fill = step(rolledBack, "fill");
    assertThat(fill.getInterruptions()).isEqualTo(3);
    assertThat(fill.getAttempts()).isEqualTo(4);
    assertThat(rolledBack.getStatus().getRollbackReason()).contains("interrupted 4 times");
    assertThat(world.query("SELECT count(*) FROM pg_tables WHERE tablename = 'orders'"))
        .as("rolled back to where it started: the undo of expand drops the table").containsExactly(List.of(0L));
    assertThat(MigrationEndToEndTest.names(world.jobs(NAME))).filteredOn(n -> n.matches(".*-fill-\\d+"))
        .containsExactlyInAnyOrder(NAME + "-fill-1", NAME + "-fill-2", NAME + "-fill-3", NAME + "-fill-4");
    release();
  }

  private void assertEveryRowChangedOnce() throws SQLException {
    assertThat(count("SELECT count(*) FROM orders WHERE total_cents IS DISTINCT FROM (total * 100)::bigint")).isZero();
    assertThat(world.query("SELECT filled, count(*) FROM orders GROUP BY filled"))
        .as("every row changed exactly once, none missed").containsExactly(List.of(1, (long) ROWS));
  }

  /** Attempt 1 and attempt 2 of the backfill, and nothing else; the second created after the first failed. */
  private void assertAttemptsOneAfterTheOther(SchemaMigration done) {
    List<Job> jobs = world.jobs(NAME);
    assertThat(MigrationEndToEndTest.names(jobs))
        .containsExactlyInAnyOrder(NAME + "-expand-1", NAME + "-fill-1", NAME + "-fill-2");
    Job first = job(jobs, NAME + "-fill-1");
    Job second = job(jobs, NAME + "-fill-2");
    JobCondition failed = first.getStatus().getConditions().stream().filter(c -> "Failed".equals(c.getType()))
        .findFirst().orElseThrow();
    assertThat(failed.getReason()).isEqualTo("BackoffLimitExceeded");
    assertThat(Instant.parse(second.getMetadata().getCreationTimestamp()))
        .as("attempt 2 was created only after attempt 1 had failed, its pod gone")
        .isAfterOrEqualTo(Instant.parse(failed.getLastTransitionTime()).minusSeconds(1));
    StepStatus fill = step(done, "fill");
    assertThat(fill.getState()).isEqualTo(StepState.Succeeded);
    assertThat(fill.getAttempts()).isEqualTo(2);
    assertThat(fill.getInterruptions()).isEqualTo(1);
    assertThat(world.events(NAME)).extracting(Event::getReason).containsOnlyOnce("BackfillInterrupted");
  }

  private static Job job(List<Job> jobs, String name) {
    return jobs.stream().filter(j -> j.getMetadata().getName().equals(name)).findFirst().orElseThrow();
  }

  /** Deletes the Job's running pod as {@code kubectl delete pod} does, with the grace period given (null: the pod's). */
  private void deleteRunnerPod(String job, Long gracePeriodSeconds) {
    Pod pod = world.client.pods().inNamespace(ClusterFixture.NAMESPACE).withLabel("job-name", job).list().getItems()
        .stream().max(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp())).orElseThrow();
    var resource = world.client.pods().inNamespace(ClusterFixture.NAMESPACE).withName(pod.getMetadata().getName());
    if (gracePeriodSeconds == null) {
      resource.delete();
    } else {
      resource.withGracePeriod(gracePeriodSeconds).delete();
    }
  }

  private void setUp() {
    world.secret("orders-db");
    world.scripts("orders-migrations", SCRIPTS);
  }

  private static Step fill() {
    Step step = new Step();
    step.setName("fill");
    BackfillStep backfill = new BackfillStep();
    backfill.setTable("orders");
    backfill.setSet("total_cents = cents_of(id, total), filled = filled + 1");
    backfill.setWhere("total_cents IS NULL");
    backfill.setBatchSize(500);
    backfill.setBatchTime("0s");
    BackfillUndo undo = new BackfillUndo();
    undo.setSet("total_cents = NULL");
    undo.setWhere("total_cents IS NOT NULL");
    backfill.setUndo(undo);
    step.setBackfill(backfill);
    return step;
  }

  private void hold(int seconds) throws SQLException {
    try (Connection c = postgres.superuserDataSource(world.database).getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA IF NOT EXISTS faults; GRANT USAGE ON SCHEMA faults TO PUBLIC;"
          + " CREATE TABLE faults.hold_backfill (seconds int); GRANT SELECT ON faults.hold_backfill TO PUBLIC;"
          + " INSERT INTO faults.hold_backfill VALUES (" + seconds + ")");
    }
  }

  /**
   * The batches from now on do not sleep; one sleeping goes on. (The hold is emptied, not dropped:
   * the sleeping batch has read the table, and a DROP would wait for its transaction.)
   */
  private void release() throws SQLException {
    try (Connection c = postgres.superuserDataSource(world.database).getConnection(); Statement s = c.createStatement()) {
      s.execute("UPDATE faults.hold_backfill SET seconds = 0");
    }
  }

  private void awaitBatchSleeping() {
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
        .until(() -> count("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'lockstep backfill'"
            + " AND state = 'active' AND wait_event = 'PgSleep'") == 1L);
  }

  private long count(String sql) throws SQLException {
    return ((Number) world.query(sql).get(0).get(0)).longValue();
  }

  private static StepStatus step(SchemaMigration m, String name) {
    return m.getStatus().getSteps().stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
  }
}
