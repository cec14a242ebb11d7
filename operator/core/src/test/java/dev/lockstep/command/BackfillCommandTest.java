package dev.lockstep.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.protocol.RunnerResult;
import dev.lockstep.runner.testing.RunnerHarness;
import dev.lockstep.runner.testing.RunnerHarness.Run;
import dev.lockstep.runner.testing.Sql;
import dev.lockstep.runner.testing.TestPostgres;
import dev.lockstep.runner.testing.TestPostgres.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackfillCommandTest {

  private static TestPostgres postgres;

  @TempDir Path workDir;
  private TestDatabase database;
  private RunnerHarness runner;

  @BeforeAll
  static void startPostgres() {
    postgres = TestPostgres.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres.close();
  }

  @BeforeEach
  void freshDatabase() {
    database = postgres.createDatabase();
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
        "--where", "currency IS NULL", "--batch-size", "300", "--checkpoint", "shop/uid-1/backfill");

    assertThat(run.exitCode()).as(run.err()).isZero();
    RunnerResult result = run.result();
    assertThat(result.isOk()).isTrue();
    assertThat(result.getRows()).isEqualTo(2000);
    assertThat(result.getBatches()).isEqualTo(7); // 6 full batches of 300, one of 200
    assertThat(result.getLongestBatchMillis()).isNotNull();
    assertThat(Sql.rows(database, "SELECT currency, touched, count(*) FROM line_items GROUP BY 1, 2 ORDER BY 1"))
        .containsExactly("EUR|1|2000", "USD|0|500");
    assertThat(Sql.rows(database,
            "SELECT table_name, rows_done, batches, finished_at IS NOT NULL FROM lockstep_backfill_progress"
                + " WHERE checkpoint = 'shop/uid-1/backfill'"))
        .containsExactly("public.line_items|2000|7|t");
    assertThat(run.out()).contains("backfill public.line_items: 2000 rows in 7 batches").contains("rows/s");

    Run again = backfill("--table", "line_items", "--set", "currency = 'EUR', touched = touched + 1",
        "--where", "currency IS NULL", "--batch-size", "300", "--checkpoint", "shop/uid-1/backfill");

    assertThat(again.exitCode()).isZero();
    assertThat(again.result().getRows()).isEqualTo(2000);
    assertThat(again.result().getBatches()).isEqualTo(7);
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

  /** A Job killed half-way (its database session terminated) resumes from its checkpoint. */
  @Test
  void resumesFromTheCheckpointAfterBeingKilled() throws Exception {
    database.execute(
        "CREATE TABLE items (id int PRIMARY KEY, counter int NOT NULL DEFAULT 0)",
        "INSERT INTO items SELECT g FROM generate_series(1, 3000) g");
    String[] args = {"--table", "items", "--set", "counter = counter + 1", "--where", "counter = 0",
        "--batch-size", "100", "--pause", "20ms", "--checkpoint", "c1"};

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

    assertThat(interrupted[0].exitCode()).isEqualTo(1);
    assertThat(interrupted[0].result().getError())
        .matches("interrupted after \\d+ rows in \\d+ batches; run again to continue from checkpoint c1");
    Run resumed = backfill(args);
    assertThat(resumed.exitCode()).isZero();
    assertThat(Sql.rows(database, "SELECT counter, count(*) FROM items GROUP BY 1")).containsExactly("1|3000");
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
