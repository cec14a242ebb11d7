package dev.lockstep.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.protocol.RunnerResult;
import dev.lockstep.runner.RunnerFailure;
import dev.lockstep.runner.TerminationSignal;
import dev.lockstep.runner.testing.RunnerDatabase;
import dev.lockstep.runner.testing.RunnerHarness;
import dev.lockstep.runner.testing.RunnerHarness.Run;
import dev.lockstep.runner.testing.Sql;
import dev.lockstep.runner.testing.TestPostgres.TestDatabase;
import dev.lockstep.world.FakePrometheus;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(RunnerDatabase.class)
class BackfillCommandTest {

  @TempDir Path workDir;
  private TestDatabase database;
  private RunnerHarness runner;

  @BeforeEach
  void freshDatabase(TestDatabase fresh) {
    database = fresh;
    runner = new RunnerHarness(workDir, database);
  }

  @Test
  void pagesThroughACompositeKeyAndChangesEachMatchingRowOnce() {
    database.execute(
        "CREATE TABLE line_items (order_id int, sku text, currency text, touched int NOT NULL DEFAULT 0,"
            + " PRIMARY KEY (order_id, sku))",
        // 'k10' sorts before 'k2': the keyset must follow the key's own order, column by column.
        "INSERT INTO line_items (order_id, sku, currency)"
            + " SELECT o, 'k' || s, CASE WHEN s % 5 = 0 THEN 'USD' END"
            + " FROM generate_series(1, 100) o, generate_series(1, 25) s");

    Run run = backfill("--table", "line_items", "--set", "currency = 'EUR', touched = touched + 1",
        "--where", "currency IS NULL", "--batch-size", "300", "--batch-time", "0s", "--checkpoint", "shop/uid-1/backfill");

    assertThat(run.exitCode()).as(run.err()).isZero();
    RunnerResult result = run.result();
    assertThat(result.isOk()).isTrue();
    assertThat(result.getRows()).isEqualTo(2000);
    // Batches cover ranges of keys, matching or not: 8 of 300 keys, then the last 100.
    assertThat(result.getBatches()).isEqualTo(9);
    assertThat(result.getLongestBatchMillis()).isNotNull();
    assertThat(Sql.rows(database, "SELECT currency, touched, count(*) FROM line_items GROUP BY 1, 2 ORDER BY 1"))
        .containsExactly("EUR|1|2000", "USD|0|500");
    assertThat(Sql.rows(database,
            "SELECT table_name, rows_done, batches, finished_at IS NOT NULL FROM lockstep_backfill_progress"
                + " WHERE checkpoint = 'shop/uid-1/backfill'"))
        .containsExactly("public.line_items|2000|9|t");
    assertThat(run.out()).contains("backfill public.line_items: 2000 rows in 9 batches").contains("rows/s");

    Run again = backfill("--table", "line_items", "--set", "currency = 'EUR', touched = touched + 1",
        "--where", "currency IS NULL", "--batch-size", "300", "--batch-time", "0s", "--checkpoint", "shop/uid-1/backfill");

    assertThat(again.exitCode()).isZero();
    assertThat(again.result().getRows()).isEqualTo(2000);
    assertThat(again.result().getBatches()).isEqualTo(9);
    assertThat(again.out()).contains("checkpoint shop/uid-1/backfill is already finished");
    assertThat(Sql.value(database, "SELECT max(touched) FROM line_items")).isEqualTo("1");
  }

  @Test
  void quotesSchemaQualifiedMixedCaseNames() {
    database.execute(
        "CREATE SCHEMA sales",
        "CREATE TABLE sales.\"Orders\" (\"Id\" int PRIMARY KEY, \"Currency\" text)",
        "INSERT INTO sales.\"Orders\" SELECT g FROM generate_series(1, 50) g");

    Run run = backfill("--table", "sales.\"Orders\"", "--set", "\"Currency\" = 'EUR'",
        "--where", "\"Currency\" IS NULL", "--batch-size", "7", "--checkpoint", "c1");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.result().getRows()).isEqualTo(50);
    assertThat(Sql.value(database, "SELECT count(*) FROM sales.\"Orders\" WHERE \"Currency\" = 'EUR'")).isEqualTo("50");
  }

  @Test
  void refusesATableWithoutPrimaryKey() {
    database.execute("CREATE TABLE events (at timestamptz, kind text)");

    Run run = backfill("--table", "events", "--set", "kind = 'x'", "--where", "kind IS NULL", "--checkpoint", "c1");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines()).containsExactly(
        "lockstep backfill: table public.events has no primary key; backfill needs one to page through rows");
  }

  @Test
  void refusesASecondStatementButNotASemicolonInsideALiteral() {
    database.execute(
        "CREATE TABLE notes (id int PRIMARY KEY, body text)",
        "INSERT INTO notes SELECT g FROM generate_series(1, 10) g");

    Run injected = backfill("--table", "notes", "--set", "body = 'x'",
        "--where", "body IS NULL; DROP TABLE notes", "--checkpoint", "c1");
    Run literal = backfill("--table", "notes", "--set", "body = 'a;b' || $$;$$ || E'\\';' /* ; */",
        "--where", "body IS NULL -- ; not a statement", "--checkpoint", "c2");

    assertThat(injected.exitCode()).isEqualTo(2);
    assertThat(injected.result().getError())
        .isEqualTo("--where has a ; at character 13; give a single SQL expression, not statements");
    assertThat(literal.exitCode()).as(literal.err()).isZero();
    assertThat(Sql.column(database, "SELECT DISTINCT body FROM notes")).containsExactly("a;b;';");
  }

  @Test
  void reportsAMistakeInTheExpressionsBeforeStarting() {
    database.execute("CREATE TABLE notes (id int PRIMARY KEY, body text)");

    Run run = backfill("--table", "notes", "--set", "bodyy = 'x'", "--where", "body IS NULL", "--checkpoint", "c1");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.result().getError()).isEqualTo(
        "--set and --where do not make a valid update of public.notes:"
            + " column \"bodyy\" of relation \"notes\" does not exist (SQLSTATE 42703)");
    assertThat(Sql.column(database, "SELECT to_regclass('lockstep_backfill_progress')::text")).containsOnlyNulls();
  }

  @Test
  void refusesToReuseACheckpointForAnotherBackfill() {
    database.execute("CREATE TABLE notes (id int PRIMARY KEY, body text)");
    assertThat(backfill("--table", "notes", "--set", "body = 'x'", "--where", "body IS NULL", "--checkpoint", "c1")
        .exitCode()).isZero();

    Run run = backfill("--table", "notes", "--set", "body = 'y'", "--where", "body IS NULL", "--checkpoint", "c1");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.result().getError()).isEqualTo(
        "checkpoint c1 belongs to another backfill (public.notes SET body = 'x' WHERE body IS NULL);"
            + " give this one its own --checkpoint");
  }

  /**
   * The application keeps writing while the backfill runs: new rows arrive already correct (dual
   * writes), and existing rows are updated in short transactions. Every row that needed the
   * backfill is changed exactly once (counter = 1), no new row is touched, and no concurrent update
   * is lost.
   */
  @Test
  void changesEveryMatchingRowExactlyOnceWhileTheApplicationWrites() throws Exception {
    database.execute(
        "CREATE TABLE items (id bigserial PRIMARY KEY, needs_backfill boolean NOT NULL,"
            + " counter int NOT NULL DEFAULT 0, payload int NOT NULL DEFAULT 0)",
        "INSERT INTO items (needs_backfill) SELECT true FROM generate_series(1, 20000)");
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicLong inserts = new AtomicLong();
    AtomicLong updates = new AtomicLong();
    CompletableFuture<Void> inserter = CompletableFuture.runAsync(() -> writeUntilStopped(writing,
        "INSERT INTO items (needs_backfill) VALUES (false)", null, inserts));
    CompletableFuture<Void> updater = CompletableFuture.runAsync(() -> writeUntilStopped(writing,
        "UPDATE items SET payload = payload + 1 WHERE id = ?", 20000L, updates));

    Run run = backfill("--table", "items", "--set", "counter = counter + 1, needs_backfill = false",
        "--where", "needs_backfill", "--batch-size", "500", "--checkpoint", "c1");
    writing.set(false);
    inserter.get();
    updater.get();

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(inserts.get()).isPositive();
    assertThat(updates.get()).isPositive();
    assertThat(run.result().getRows()).isEqualTo(20000);
    assertThat(Sql.rows(database, "SELECT id <= 20000, counter, needs_backfill, count(*) FROM items GROUP BY 1, 2, 3"))
        .containsExactlyInAnyOrder("t|1|f|20000", "f|0|f|" + inserts.get());
    assertThat(Sql.value(database, "SELECT sum(payload) FROM items")).isEqualTo(String.valueOf(updates.get()));
  }

  /**
   * Issue #9: a rollback undoes a backfill while the flags that turn dual writes on are still on
   * (they are older steps, so they are restored after it), and the application keeps writing the new
   * column. The undo puts back only the keys its backfill went over ({@code --within-checkpoint}):
   * it ends where the backfill ended instead of chasing the application's new rows, and the values
   * the application wrote there stay.
   */
  @Test
  void anUndoPutsBackOnlyTheKeysItsBackfillWentOverWhileDualWritesGoOn() throws Exception {
    database.execute(
        "CREATE TABLE orders (id bigserial PRIMARY KEY, total numeric(12, 2) NOT NULL, total_cents bigint)",
        "INSERT INTO orders (total) SELECT n / 100.0 FROM generate_series(1, 5000) AS n");
    Run fill = backfill("--table", "orders", "--set", "total_cents = (total * 100)::bigint",
        "--where", "total_cents IS NULL", "--checkpoint", "shop/uid-1/fill");
    assertThat(fill.exitCode()).as(fill.err()).isZero();
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicLong inserts = new AtomicLong();
    CompletableFuture<Void> dualWrites = CompletableFuture.runAsync(() -> writeUntilStopped(writing,
        "INSERT INTO orders (total, total_cents) VALUES (1.25, 125)", null, inserts));
    await().atMost(Duration.ofSeconds(30)).until(() -> inserts.get() > 0);

    Run undo = backfill("--table", "orders", "--set", "total_cents = NULL", "--where", "total_cents IS NOT NULL",
        "--batch-size", "250", "--batch-time", "0s", "--pause", "20ms",
        "--checkpoint", "shop/uid-1/fill/undo", "--within-checkpoint", "shop/uid-1/fill");
    long insertedDuringUndo = inserts.get();
    writing.set(false);
    dualWrites.get();

    assertThat(undo.exitCode()).as(undo.err()).isZero();
    assertThat(insertedDuringUndo).isPositive();
    assertThat(undo.result().getRows()).isEqualTo(5000);
    assertThat(undo.out()).contains("only the keys the backfill of checkpoint shop/uid-1/fill went over, up to 5000");
    assertThat(Sql.rows(database, "SELECT id <= 5000, total_cents IS NULL, count(*) FROM orders GROUP BY 1, 2"))
        .containsExactlyInAnyOrder("t|t|5000", "f|f|" + inserts.get());
  }

  /** An undo of a backfill that never committed a batch has nothing to put back, whatever matches. */
  @Test
  void anUndoOfABackfillThatNeverRanChangesNothing() {
    database.execute(
        "CREATE TABLE orders (id bigserial PRIMARY KEY, total numeric(12, 2) NOT NULL, total_cents bigint)",
        "INSERT INTO orders (total, total_cents) SELECT 1, 100 FROM generate_series(1, 300)");

    Run undo = backfill("--table", "orders", "--set", "total_cents = NULL", "--where", "total_cents IS NOT NULL",
        "--checkpoint", "shop/uid-1/fill/undo", "--within-checkpoint", "shop/uid-1/fill");

    assertThat(undo.exitCode()).as(undo.err()).isZero();
    assertThat(undo.out()).contains("changed no batch, so there is nothing to put back");
    assertThat(Sql.value(database, "SELECT count(*) FROM orders WHERE total_cents IS NULL")).isEqualTo("0");
  }

  /**
   * A Job killed half-way resumes from its checkpoint. The kill is its database session terminated,
   * with reconnects off ({@code --max-reconnects 0}): otherwise the runner itself would reconnect
   * and carry on (see {@code DatabaseFaultsEndToEndTest}), and this is the next Job's resume.
   */
  @Test
  void resumesFromTheCheckpointAfterBeingKilled() throws Exception {
    database.execute(
        "CREATE TABLE items (id int PRIMARY KEY, counter int NOT NULL DEFAULT 0)",
        "INSERT INTO items SELECT g FROM generate_series(1, 3000) g");
    String[] args = {"--table", "items", "--set", "counter = counter + 1", "--where", "counter = 0",
        "--batch-size", "100", "--batch-time", "0s", "--pause", "20ms", "--checkpoint", "c1", "--max-reconnects", "0"};

    CompletableFuture<Run> killed = CompletableFuture.supplyAsync(() -> backfill(args));
    await().atMost(Duration.ofSeconds(30)).until(() -> batchesCommitted() >= 3);
    Sql.column(database,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'lockstep backfill'");
    Run first = killed.get();

    assertThat(first.exitCode()).isEqualTo(1);
    long doneBeforeKill = first.result().getRows();
    assertThat(doneBeforeKill).isBetween(300L, 2900L);

    Run resumed = backfill(args);

    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    assertThat(resumed.out()).contains("resuming after " + doneBeforeKill + " rows");
    assertThat(resumed.result().getRows()).isEqualTo(3000);
    assertThat(resumed.result().getBatches()).isEqualTo(30);
    assertThat(Sql.rows(database, "SELECT counter, count(*) FROM items GROUP BY 1")).containsExactly("1|3000");
  }

  @Test
  void anInterruptedRunStopsBetweenBatchesAndSaysHowToContinue() throws Exception {
    database.execute(
        "CREATE TABLE items (id int PRIMARY KEY, counter int NOT NULL DEFAULT 0)",
        "INSERT INTO items SELECT g FROM generate_series(1, 3000) g");
    String[] args = {"--table", "items", "--set", "counter = counter + 1", "--where", "counter = 0",
        "--batch-size", "100", "--pause", "50ms", "--checkpoint", "c1"};
    Run[] interrupted = new Run[1];
    Thread job = new Thread(() -> interrupted[0] = backfill(args));

    job.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> batchesCommitted() >= 2);
    job.interrupt();
    job.join();

    assertThat(interrupted[0].exitCode()).isEqualTo(RunnerFailure.INTERRUPTED);
    assertThat(interrupted[0].result().getError())
        .matches("interrupted after \\d+ rows in \\d+ batches; run again to continue from checkpoint c1");
    Run resumed = backfill(args);
    assertThat(resumed.exitCode()).isZero();
    assertThat(Sql.rows(database, "SELECT counter, count(*) FROM items GROUP BY 1")).containsExactly("1|3000");
  }

  /**
   * SIGTERM (the pod is being deleted): the batch in flight commits with its checkpoint, no other
   * starts, and the result says it was interrupted in a field, with an exit code that is not 0.
   */
  @Test
  void sigtermStopsAfterTheBatchInFlightAndTheResultSaysInterrupted() throws Exception {
    database.execute(
        "CREATE TABLE items (id int PRIMARY KEY, counter int NOT NULL DEFAULT 0)",
        "INSERT INTO items SELECT g FROM generate_series(1, 3000) g");
    String[] args = {"backfill", "--table", "items", "--set", "counter = counter + 1", "--where", "counter = 0",
        "--batch-size", "100", "--batch-time", "0s", "--pause", "50ms", "--checkpoint", "c1"};
    TerminationSignal sigterm = TerminationSignal.inProcess();
    CompletableFuture<Run> running = CompletableFuture.supplyAsync(() -> runner.run(sigterm, args));

    await().atMost(Duration.ofSeconds(30)).until(() -> batchesCommitted() >= 2);
    sigterm.request();
    Run stopped = running.get();

    assertThat(stopped.exitCode()).isEqualTo(RunnerFailure.INTERRUPTED);
    assertThat(stopped.result().getInterrupted()).isTrue();
    assertThat(stopped.result().isOk()).isFalse();
    long rows = stopped.result().getRows();
    assertThat(rows).isLessThan(3000).isEqualTo(100 * batchesCommitted());
    assertThat(Sql.value(database, "SELECT count(*) FROM items WHERE counter = 1")).isEqualTo(String.valueOf(rows));
    Run resumed = backfill(Arrays.copyOfRange(args, 1, args.length));
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    assertThat(resumed.result().getInterrupted()).isNull();
    assertThat(Sql.rows(database, "SELECT counter, count(*) FROM items GROUP BY 1")).containsExactly("1|3000");
  }

  /** Batches sized by time grow while they are fast, up to the maximum, at most twofold each. */
  @Test
  void fastBatchesGrowUpToTheMaximumBatchSize() {
    database.execute(
        "CREATE TABLE items (id int PRIMARY KEY, counter int NOT NULL DEFAULT 0)",
        "INSERT INTO items SELECT g FROM generate_series(1, 20000) g");

    // A target no batch of this table comes near: every batch is "fast".
    Run run = backfill("--table", "items", "--set", "counter = counter + 1", "--where", "counter = 0",
        "--batch-size", "100", "--batch-time", "10s", "--max-batch-size", "1600", "--checkpoint", "c1");

    assertThat(run.exitCode()).as(run.err()).isZero();
    // Growing 1.5-fold a batch: 100, 150, 225, 338, 507, 761, 1142 keys, then 10 batches of 1600 and
    // the last 777.
    assertThat(run.result().getBatches()).isEqualTo(18);
    assertThat(run.result().getBatchMillisP50()).isNotNull();
    assertThat(run.result().getBatchMillisP99()).isNotNull();
    assertThat(Sql.rows(database, "SELECT rows_done, batch_size FROM lockstep_backfill_progress"))
        .containsExactly("20000|1600");
    assertThat(Sql.rows(database, "SELECT counter, count(*) FROM items GROUP BY 1")).containsExactly("1|20000");
  }

  /** A batch over the target time shrinks the next one, down to the minimum. */
  @Test
  void slowBatchesShrinkToTheMinimumBatchSize() {
    database.execute(
        "CREATE TABLE items (id int PRIMARY KEY, counter int NOT NULL DEFAULT 0)",
        "INSERT INTO items SELECT g FROM generate_series(1, 300) g");

    // pg_sleep makes each row take at least 2 ms: 200 rows take 400 ms, 40 times the target.
    Run run = backfill("--table", "items", "--set", "counter = counter + 1 + (pg_sleep(0.002) IS NULL)::int",
        "--where", "counter = 0", "--batch-size", "200", "--batch-time", "10ms", "--min-batch-size", "10",
        "--checkpoint", "c1");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.result().getBatches()).isEqualTo(11); // 200 keys, then 10 batches of 10
    assertThat(Sql.rows(database, "SELECT rows_done, batch_size FROM lockstep_backfill_progress"))
        .containsExactly("300|10");
  }

  /** Fresh statistics before the first batch: a column added after the last ANALYZE has them. */
  @Test
  void analyzesTheTableBeforeTheFirstBatch() {
    database.execute(
        "CREATE TABLE items (id int PRIMARY KEY, v int)",
        "INSERT INTO items SELECT g, g FROM generate_series(1, 1000) g",
        "ALTER TABLE items SET (autovacuum_enabled = false)", // only the backfill's ANALYZE
        "ANALYZE items",
        "ALTER TABLE items ADD COLUMN doubled int");

    Run run = backfill("--table", "items", "--set", "doubled = v * 2", "--where", "doubled IS NULL", "--checkpoint", "c1");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("backfill public.items: analyzed in");
    // Statistics taken before the batches: every value of the new column was still NULL then.
    assertThat(Sql.value(database, "SELECT null_frac FROM pg_stats WHERE tablename = 'items' AND attname = 'doubled'"))
        .isEqualTo("1");
  }

  /** The throttle's value is an SQL query the test changes: over the maximum the backfill waits, and says why. */
  @Test
  void waitsWhileAnSqlThrottleIsOverItsMaximumAndResumesWhenItRecovers() throws Exception {
    database.execute(
        "CREATE TABLE items (id int PRIMARY KEY, counter int NOT NULL DEFAULT 0)",
        "INSERT INTO items SELECT g FROM generate_series(1, 3000) g",
        "CREATE TABLE replica_lag (seconds numeric NOT NULL)",
        "INSERT INTO replica_lag VALUES (42)");

    CompletableFuture<Run> running = CompletableFuture.supplyAsync(() -> backfill("--table", "items",
        "--set", "counter = counter + 1", "--where", "counter = 0", "--throttle-sql", "SELECT seconds FROM replica_lag",
        "--throttle-max", "10", "--throttle-interval", "100ms", "--checkpoint", "c1"));
    await().atMost(Duration.ofSeconds(30)).until(() -> throttled() != null);

    assertThat(throttled()).isEqualTo("SQL `SELECT seconds FROM replica_lag` is 42, above the maximum 10");
    Thread.sleep(500); // five more readings, all over the maximum
    assertThat(Sql.value(database, "SELECT rows_done FROM lockstep_backfill_progress")).isEqualTo("0");
    assertThat(running).isNotDone();

    database.execute("UPDATE replica_lag SET seconds = 3");
    Run run = running.get(60, java.util.concurrent.TimeUnit.SECONDS);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.result().getRows()).isEqualTo(3000);
    assertThat(run.result().getThrottledMillis()).isGreaterThanOrEqualTo(500);
    assertThat(run.out())
        .contains("throttled: SQL `SELECT seconds FROM replica_lag` is 42, above the maximum 10; reading it again every 100 ms")
        .contains("throttle: SQL `SELECT seconds FROM replica_lag` is 3 again, at most 10; resuming after");
    assertThat(throttled()).as("the next batch clears the reason").isNull();
    assertThat(Sql.rows(database, "SELECT counter, count(*) FROM items GROUP BY 1")).containsExactly("1|3000");
  }

  /** The throttle's value comes from Prometheus (the fake one, whose answer the test sets). */
  @Test
  void waitsWhileAPrometheusThrottleIsOverItsMaximum() throws Exception {
    database.execute(
        "CREATE TABLE items (id int PRIMARY KEY, counter int NOT NULL DEFAULT 0)",
        "INSERT INTO items SELECT g FROM generate_series(1, 3000) g");
    try (FakePrometheus prometheus = FakePrometheus.start()) {
      String query = "histogram_quantile(0.99, sum(rate(http_seconds_bucket[1m])) by (le))";
      prometheus.setValue(query, 0.8);

      CompletableFuture<Run> running = CompletableFuture.supplyAsync(() -> backfill("--table", "items",
          "--set", "counter = counter + 1", "--where", "counter = 0", "--throttle-prometheus-url", prometheus.url(),
          "--throttle-prometheus-query", query, "--throttle-max", "0.25", "--throttle-interval", "100ms",
          "--checkpoint", "c1"));
      await().atMost(Duration.ofSeconds(30)).until(() -> throttled() != null);

      assertThat(throttled()).isEqualTo("Prometheus `" + query + "` is 0.8, above the maximum 0.25");
      assertThat(Sql.value(database, "SELECT rows_done FROM lockstep_backfill_progress")).isEqualTo("0");

      prometheus.setValue(query, 0.1);
      Run run = running.get(60, java.util.concurrent.TimeUnit.SECONDS);

      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.result().getRows()).isEqualTo(3000);
      assertThat(run.result().getThrottledMillis()).isPositive();
      assertThat(prometheus.queries(query)).isGreaterThan(1);
    }
  }

  @Test
  void refusesAThrottleThatCannotWork() {
    database.execute("CREATE TABLE notes (id int PRIMARY KEY, body text)");
    String[] base = {"--table", "notes", "--set", "body = 'x'", "--where", "body IS NULL", "--checkpoint", "c1"};

    Run maxAlone = backfill(concat(base, "--throttle-max", "10"));
    Run noMax = backfill(concat(base, "--throttle-sql", "SELECT 1"));
    Run twoSources = backfill(concat(base, "--throttle-sql", "SELECT 1", "--throttle-prometheus-url", "http://p:9090",
        "--throttle-prometheus-query", "up", "--throttle-max", "1"));
    Run twoStatements = backfill(concat(base, "--throttle-sql", "SELECT 1; DROP TABLE notes", "--throttle-max", "1"));
    Run unknownTable = backfill(concat(base, "--throttle-sql", "SELECT lag FROM nowhere", "--throttle-max", "1"));

    assertThat(List.of(maxAlone, noMax, twoSources, twoStatements, unknownTable))
        .allSatisfy(run -> assertThat(run.exitCode()).isEqualTo(2));
    assertThat(maxAlone.result().getError()).isEqualTo("--throttle-max needs a value to compare: give --throttle-sql,"
        + " or --throttle-prometheus-url with --throttle-prometheus-query");
    assertThat(noMax.result().getError()).isEqualTo("a throttle needs --throttle-max: the highest value at which batches run");
    assertThat(twoSources.result().getError()).startsWith("a throttle needs exactly one source");
    assertThat(twoStatements.result().getError())
        .isEqualTo("--throttle-sql has a ; at character 9; give a single SQL expression, not statements");
    assertThat(unknownTable.result().getError()).isEqualTo("--throttle-sql is not a query PostgreSQL accepts:"
        + " relation \"nowhere\" does not exist (SQLSTATE 42P01)");
    assertThat(Sql.column(database, "SELECT to_regclass('lockstep_backfill_progress')::text")).containsOnlyNulls();
  }

  private static String[] concat(String[] base, String... more) {
    String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  /** Why the backfill waits now, as the operator reads it (null: it does not, or nothing is recorded yet). */
  private String throttled() {
    if (Sql.value(database, "SELECT to_regclass('lockstep_backfill_progress') IS NOT NULL").equals("f")) {
      return null;
    }
    return Sql.value(database, "SELECT throttled FROM lockstep_backfill_progress");
  }

  /** Batches committed so far, as the progress table shows them (0 before it exists). */
  private long batchesCommitted() {
    if (Sql.value(database, "SELECT to_regclass('lockstep_backfill_progress') IS NOT NULL").equals("f")) {
      return 0;
    }
    return Long.parseLong(Sql.value(database, "SELECT coalesce(max(batches), 0) FROM lockstep_backfill_progress"));
  }

  private Run backfill(String... options) {
    String[] args = new String[options.length + 1];
    args[0] = "backfill";
    System.arraycopy(options, 0, args, 1, options.length);
    return runner.run(args);
  }

  /** Writes in short auto-committed transactions, as an application does, until told to stop. */
  private void writeUntilStopped(AtomicBoolean writing, String sql, Long maxId, AtomicLong count) {
    try (Connection application = database.connect(); PreparedStatement statement = application.prepareStatement(sql)) {
      while (writing.get()) {
        if (maxId != null) {
          statement.setLong(1, ThreadLocalRandom.current().nextLong(1, maxId + 1));
        }
        statement.executeUpdate();
        count.incrementAndGet();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
