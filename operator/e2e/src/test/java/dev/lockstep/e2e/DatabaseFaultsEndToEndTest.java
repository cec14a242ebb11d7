package dev.lockstep.e2e;

import static dev.lockstep.reconcile.Migrations.migrate;
import static dev.lockstep.reconcile.Migrations.migration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.api.Annotations;
import dev.lockstep.api.BackfillStep;
import dev.lockstep.api.BackfillUndo;
import dev.lockstep.api.Phase;
import dev.lockstep.api.RollbackPolicy;
import dev.lockstep.api.RollbackSpec;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.Step;
import dev.lockstep.api.StepState;
import dev.lockstep.api.StepStatus;
import dev.lockstep.world.kubelet.KubeletFaults;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Database faults (issue 15, prove 4): the runner's connection is cut mid-migration and mid-backfill,
 * PostgreSQL restarts under a running Job, another session holds a conflicting lock for longer than
 * the retries. A lost connection runs the command again on a new one, within its budget; a lock
 * conflict is retried within its budget; past the budget the step fails and — by the rollback
 * policy — rolls back or waits for {@code lockstep.dev/retry}. Each case checks the database, not
 * the status alone: the schema, every row of Flyway's history and the backfilled rows.
 */
class DatabaseFaultsEndToEndTest extends ClusterTest {

  private static final String NAME = "orders-currency";
  /**
   * While this table exists, V2 sleeps, so that a test can cut it there. The holds live in a schema
   * of their own: Flyway refuses to start on a non-empty {@code public} schema without its history.
   */
  private static final String HOLD_MIGRATE = "hold_migrate";
  /** While this table exists, the backfill sleeps at row 2500. */
  private static final String HOLD_BACKFILL = "hold_backfill";

  static final Map<String, String> SCRIPTS = Map.of(
      "V1__create_orders.sql", """
          CREATE TABLE orders (id bigserial PRIMARY KEY, total numeric(12,2) NOT NULL, filled int NOT NULL DEFAULT 0);
          INSERT INTO orders (total) SELECT n / 100.0 FROM generate_series(1, 5000) AS n;
          """,
      "U1__create_orders.sql", "DROP TABLE orders;",
      "V2__add_total_cents.sql", """
          ALTER TABLE orders ADD COLUMN total_cents bigint;
          CREATE FUNCTION cents_of(row_id bigint, total numeric) RETURNS bigint LANGUAGE plpgsql AS $$
          BEGIN
            IF row_id = 2500 AND to_regclass('faults.hold_backfill') IS NOT NULL THEN
              PERFORM pg_sleep(120);
            END IF;
            RETURN (total * 100)::bigint;
          END $$;
          DO $$ BEGIN
            IF to_regclass('faults.hold_migrate') IS NOT NULL THEN PERFORM pg_sleep(120); END IF;
          END $$;
          """,
      "U2__add_total_cents.sql", "DROP FUNCTION cents_of(bigint, numeric); ALTER TABLE orders DROP COLUMN total_cents;");

  @Test
  void aConnectionCutMidMigrationIsRunAgainOnANewConnectionWithinTheSameJob() throws Exception {
    setUp();
    hold(HOLD_MIGRATE, true);
    world.apply(migration(migrate("expand", "1"), migrate("add", "2")));
    awaitRunnerSleeping("lockstep migrate");

    hold(HOLD_MIGRATE, false);
    assertThat(terminate("lockstep migrate")).isEqualTo(1);

    SchemaMigration done = world.awaitPhase(NAME, Phase.Succeeded);
    assertThat(step(done, "add").getMessage()).contains("1 reconnects after a lost connection")
        .contains("from version 1 to 2");
    assertThat(history()).containsExactly(List.of("1", true), List.of("2", true));
    assertThat(world.columns("orders")).contains("total_cents");
    assertThat(MigrationEndToEndTest.names(world.jobs(NAME))).containsExactlyInAnyOrder(NAME + "-expand-1", NAME + "-add-1");
  }

  /**
   * The connection is cut every time the script runs, more often than the runner reconnects: the
   * step fails with nothing of V2 applied; under the Manual policy it waits, and the retry succeeds.
   */
  @Test
  void aConnectionCutMoreOftenThanTheBudgetFailsTheStepCleanlyAndTheRetrySucceeds() throws Exception {
    setUp();
    hold(HOLD_MIGRATE, true);
    world.apply(manual(migration(migrate("expand", "1"), migrate("add", "2"))));
    AtomicBoolean cutting = new AtomicBoolean(true);
    Set<Integer> cut = ConcurrentHashMap.newKeySet();
    Thread cutter = new Thread(() -> {
      while (cutting.get()) {
        try {
          cut.addAll(terminated("lockstep migrate"));
          Thread.sleep(50);
        } catch (SQLException | InterruptedException e) {
          return;
        }
      }
    }, "connection-cutter");
    cutter.start();
    SchemaMigration failed;
    try {
      failed = world.awaitPhase(NAME, Phase.Failed);
    } finally {
      cutting.set(false);
      cutter.join();
    }

    StepStatus add = step(failed, "add");
    assertThat(add.getState()).isEqualTo(StepState.Failed);
    assertThat(add.getMessage()).contains("V2__add_total_cents.sql");
    assertThat(cut).as("sessions cut: the first run's and each run's again, 6 by default").hasSize(7);
    assertNothingOfV2();
    assertThat(failed.getStatus().getMessage()).contains(Annotations.RETRY + "=add");

    hold(HOLD_MIGRATE, false);
    annotate(Annotations.RETRY, "add");
    SchemaMigration done = world.awaitPhase(NAME, Phase.Succeeded);
    assertThat(step(done, "add").getAttempts()).isEqualTo(2);
    assertThat(history()).containsExactly(List.of("1", true), List.of("2", true));
    assertThat(world.columns("orders")).contains("total_cents");
  }

  /** PostgreSQL stops (every session is cut) and starts again on the same port and data. */
  @Test
  void aDatabaseRestartUnderARunningMigrationIsRiddenOutAndAppliesEveryVersionOnce() throws Exception {
    setUp();
    hold(HOLD_MIGRATE, true);
    world.apply(migration(migrate("expand", "1"), migrate("add", "2")));
    awaitRunnerSleeping("lockstep migrate");

    hold(HOLD_MIGRATE, false);
    postgres.restart();

    SchemaMigration done = world.awaitPhase(NAME, Phase.Succeeded);
    assertThat(step(done, "add").getMessage()).contains("reconnects after a lost connection");
    assertThat(history()).containsExactly(List.of("1", true), List.of("2", true));
    assertThat(MigrationEndToEndTest.names(world.jobs(NAME))).containsExactlyInAnyOrder(NAME + "-expand-1", NAME + "-add-1");
  }

  /** The backfill's session is cut in the middle: it carries on from its checkpoint, each row changed once. */
  @Test
  void aConnectionCutMidBackfillResumesFromTheCheckpointAndChangesEveryRowOnce() throws Exception {
    setUp();
    hold(HOLD_BACKFILL, true);
    world.apply(migration(migrate("expand", "2"), fill()));
    awaitRunnerSleeping("lockstep backfill");
    long before = count("SELECT count(*) FROM orders WHERE total_cents IS NOT NULL");
    assertThat(before).as("the batches before row 2500 are committed").isBetween(1L, 2499L);

    hold(HOLD_BACKFILL, false);
    assertThat(terminate("lockstep backfill")).isEqualTo(1);

    world.awaitPhase(NAME, Phase.Succeeded);
    assertThat(count("SELECT count(*) FROM orders WHERE total_cents IS DISTINCT FROM (total * 100)::bigint")).isZero();
    assertThat(world.query("SELECT filled, count(*) FROM orders GROUP BY filled"))
        .as("every row changed exactly once").containsExactly(List.of(1, 5000L));
    assertThat(world.query("SELECT rows_done FROM lockstep_backfill_progress")).containsExactly(List.of(5000L));
    assertThat(MigrationEndToEndTest.names(world.jobs(NAME))).containsExactlyInAnyOrder(NAME + "-expand-1", NAME + "-fill-1");
  }

  /**
   * Another session holds a lock on {@code orders} for longer than every retry: the runner gives up
   * after its lock retries, with nothing of V2 applied. Automatic: the earlier step is rolled back.
   * Manual: the migration waits, and once the lock is gone the retry succeeds.
   */
  @ParameterizedTest
  @EnumSource(RollbackPolicy.class)
  void aLockHeldLongerThanTheRetriesFailsTheStepCleanly(RollbackPolicy policy) throws Exception {
    setUp();
    var held = world.cluster.kubelet().faults().holdJobs(KubeletFaults.jobNamed(NAME + "-add-1"));
    SchemaMigration m = migration(migrate("expand", "1"), migrate("add", "2"));
    m.getSpec().getSteps().get(1).getMigrate().setLockTimeout("100ms");
    RollbackSpec rollback = new RollbackSpec();
    rollback.setPolicy(policy);
    m.getSpec().setRollback(rollback);
    world.apply(m);
    await().atMost(Duration.ofSeconds(60)).until(() -> !held.heldJobs().isEmpty());

    try (Connection blocker = world.login.dataSource().getConnection()) {
      blocker.setAutoCommit(false);
      try (Statement s = blocker.createStatement()) {
        s.execute("LOCK TABLE orders IN ACCESS SHARE MODE");
      }
      held.release();
      await().atMost(Duration.ofSeconds(90)).until(() -> step(world.get(NAME), "add").getState() == StepState.Failed);
      // Released before the rollback needs the table, for undoing V1 drops it.
      blocker.rollback();
    }
    SchemaMigration ended = world.awaitPhase(NAME, policy == RollbackPolicy.Manual ? Phase.Failed : Phase.RolledBack);

    StepStatus add = step(ended, "add");
    assertThat(add.getLockRetries()).isEqualTo(10);
    if (policy == RollbackPolicy.Automatic) {
      assertThat(ended.getStatus().getMessage()).contains("gave up after 10 lock retries");
      assertThat(history()).as("V1 undone too").isEmpty();
      assertThat(world.query("SELECT to_regclass('public.orders')::text")).containsExactly(java.util.Arrays.asList((Object) null));
      return;
    }
    assertThat(add.getMessage()).contains("gave up after 10 lock retries");
    assertNothingOfV2();
    annotate(Annotations.RETRY, "add");
    world.awaitPhase(NAME, Phase.Succeeded);
    assertThat(history()).containsExactly(List.of("1", true), List.of("2", true));
  }

  private void setUp() {
    world.secret("orders-db");
    world.scripts("orders-migrations", SCRIPTS);
  }

  private static SchemaMigration manual(SchemaMigration m) {
    RollbackSpec manual = new RollbackSpec();
    manual.setPolicy(RollbackPolicy.Manual);
    m.getSpec().setRollback(manual);
    return m;
  }

  private static Step fill() {
    Step step = new Step();
    step.setName("fill");
    BackfillStep backfill = new BackfillStep();
    backfill.setTable("orders");
    backfill.setSet("total_cents = cents_of(id, total), filled = filled + 1");
    backfill.setWhere("total_cents IS NULL");
    backfill.setBatchSize(500);
    BackfillUndo undo = new BackfillUndo();
    undo.setSet("total_cents = NULL");
    undo.setWhere("total_cents IS NOT NULL");
    backfill.setUndo(undo);
    step.setBackfill(backfill);
    return step;
  }

  private void assertNothingOfV2() throws SQLException {
    assertThat(history()).as("no row for V2, not even a failed one").containsExactly(List.of("1", true));
    assertThat(world.columns("orders")).doesNotContain("total_cents");
    assertThat(world.query("SELECT count(*) FROM pg_proc WHERE proname = 'cents_of'")).containsExactly(List.of(0L));
  }

  /** Every row of Flyway's history: version and success. */
  private List<List<Object>> history() throws SQLException {
    return world.query("SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL"
        + " ORDER BY installed_rank");
  }

  private long count(String sql) throws SQLException {
    return (Long) world.query(sql).get(0).get(0);
  }

  private DataSource superuser() {
    return postgres.superuserDataSource(world.database);
  }

  private void hold(String table, boolean on) throws SQLException {
    try (Connection c = superuser().getConnection(); Statement s = c.createStatement()) {
      // Readable by the migration's login, so that to_regclass can look into the schema.
      s.execute(on ? "CREATE SCHEMA IF NOT EXISTS faults; GRANT USAGE ON SCHEMA faults TO PUBLIC;"
          + " CREATE TABLE faults." + table + " ()"
          : "DROP TABLE faults." + table);
    }
  }

  private void awaitRunnerSleeping(String applicationName) {
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
        .until(() -> count("SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + applicationName
            + "' AND state = 'active' AND wait_event = 'PgSleep'") == 1L);
  }

  /** Terminates the runner's sessions that sleep in {@code pg_sleep}; how many there were. */
  private int terminate(String applicationName) throws SQLException {
    return terminated(applicationName).size();
  }

  /** The process ids of the runner's sessions sleeping in {@code pg_sleep} that were just terminated. */
  private List<Integer> terminated(String applicationName) throws SQLException {
    try (Connection c = superuser().getConnection(); Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity"
            + " WHERE application_name = '" + applicationName + "' AND wait_event = 'PgSleep'")) {
      List<Integer> pids = new java.util.ArrayList<>();
      while (rows.next()) {
        if (rows.getBoolean(2)) {
          pids.add(rows.getInt(1));
        }
      }
      return pids;
    }
  }

  private static StepStatus step(SchemaMigration m, String name) {
    return m.getStatus().getSteps().stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
  }

  private void annotate(String key, String value) {
    world.client.resources(SchemaMigration.class).inNamespace(ClusterFixture.NAMESPACE).withName(NAME)
        .patch(PatchContext.of(PatchType.JSON_MERGE),
            Serialization.asJson(Map.of("metadata", Map.of("annotations", Map.of(key, value)))));
  }
}
