package dev.lockstep.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lockstep.protocol.RunnerResult;
import dev.lockstep.runner.testing.RunnerHarness;
import dev.lockstep.runner.testing.RunnerHarness.Run;
import dev.lockstep.runner.testing.Sql;
import dev.lockstep.runner.testing.TestPostgres;
import dev.lockstep.runner.testing.TestPostgres.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Migrations that meet locks held by the application: they wait a little, give way, and retry. */
class LockConflictTest {

  private static TestPostgres postgres;

  @TempDir Path workDir;
  private TestDatabase database;
  private RunnerHarness runner;
  private Connection blocker;

  @BeforeAll
  static void startPostgres() {
    postgres = TestPostgres.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres.close();
  }

  @BeforeEach
  void databaseAtVersionOne() throws SQLException {
    database = postgres.createDatabase();
    runner =
        new RunnerHarness(workDir, database)
            .script(
                "V1__orders.sql",
                "CREATE TABLE orders (id bigint PRIMARY KEY, amount numeric NOT NULL);\n"
                    + "INSERT INTO orders SELECT g, g FROM generate_series(1, 1000) g;")
            .script("V2__currency.sql", "ALTER TABLE orders ADD COLUMN currency text;");
    assertThat(runner.run("migrate", "--to", "1").exitCode()).isZero();
    blocker = database.connect();
    blocker.setAutoCommit(false);
  }

  @AfterEach
  void releaseBlocker() throws SQLException {
    blocker.close();
  }

  @Test
  void retriesAfterLockTimeoutsAndSucceedsOnceTheBlockerCommits() throws Exception {
    hold("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE");
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    CompletableFuture<Run> migration = runAsync(out, "migrate", "--to", "2", "--lock-timeout", "300ms");
    await().atMost(Duration.ofSeconds(30)).until(() -> text(out).contains("retry 2 of 10"));
    blocker.commit();
    Run run = migration.get();

    assertThat(run.exitCode()).as(run.err()).isZero();
    RunnerResult result = run.result();
    assertThat(result.getLockRetries()).isGreaterThanOrEqualTo(2);
    assertThat(result.getLockWaitMillis()).isPositive();
    assertThat(result.getVersionAfter()).isEqualTo("2");
    assertThat(run.out()).contains("V2__currency.sql: canceling statement due to lock timeout (SQLSTATE 55P03); retry 1 of 10 in ");
    assertThat(Sql.columns(database, "orders")).containsExactly("id", "amount", "currency");
    assertThat(Sql.history(database)).containsExactly("1|V1__orders.sql|t", "2|V2__currency.sql|t");
  }

  /**
   * The reason for lock_timeout: DDL waiting for a lock makes every later query on the table queue
   * behind it. With a long read holding the table, the ALTER waits, gives up after the lock
   * timeout, and the queue drains — so a query never waits much longer than the lock timeout.
   */
  @Test
  void queriesOfOtherSessionsWaitNoLongerThanTheLockTimeout() throws Exception {
    hold("SELECT count(*) FROM orders"); // a long-running read: ACCESS SHARE until it ends
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AtomicBoolean measuring = new AtomicBoolean(true);
    AtomicLong longestQueryMillis = new AtomicLong();
    AtomicLong queries = new AtomicLong();
    CompletableFuture<Void> application =
        CompletableFuture.runAsync(() -> queryUntilStopped(measuring, longestQueryMillis, queries));

    CompletableFuture<Run> migration = runAsync(out, "migrate", "--to", "2", "--lock-timeout", "500ms");
    await().atMost(Duration.ofSeconds(30)).until(() -> text(out).contains("retry 3 of 10"));
    blocker.commit();
    Run run = migration.get();
    measuring.set(false);
    application.get();

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(queries.get()).isPositive();
    // A property, not a benchmark: generous bound = lock timeout + 1 s.
    assertThat(longestQueryMillis.get()).isLessThan(1500);
    assertThat(Sql.columns(database, "orders")).contains("currency");
  }

  @Test
  void givesUpWithAClearErrorWhenTheRetriesAreSpent() throws Exception {
    hold("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE");

    Run run = runner.run("migrate", "--to", "2", "--lock-timeout", "100ms", "--max-lock-retries", "2");
    blocker.commit();

    assertThat(run.exitCode()).isEqualTo(1);
    RunnerResult result = run.result();
    assertThat(result.getError()).isEqualTo(
        "V2__currency.sql failed: canceling statement due to lock timeout (SQLSTATE 55P03); gave up after 2 lock retries");
    assertThat(run.err().lines()).containsExactly("lockstep migrate: " + result.getError());
    assertThat(result.getLockRetries()).isEqualTo(2);
    assertThat(result.getVersionAfter()).isEqualTo("1");
    assertThat(Sql.columns(database, "orders")).containsExactly("id", "amount");
    assertThat(Sql.history(database)).containsExactly("1|V1__orders.sql|t");
  }

  /**
   * A concurrent index build that times out waiting for an open transaction leaves an INVALID
   * index. With IF NOT EXISTS, a plain retry would then "succeed" without building anything; the
   * runner drops the invalid index first, so the retry builds a valid one.
   */
  @Test
  void dropsTheInvalidIndexOfAFailedConcurrentBuildAndRebuildsIt() throws Exception {
    runner.script(
        "V2__amount_index.sql", "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_amount_idx ON orders (amount);");
    runner.script("V2__currency.sql", "SELECT 1;").scripts().resolve("V2__currency.sql").toFile().delete();
    hold("UPDATE orders SET amount = amount + 1 WHERE id = 1"); // an open write transaction
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    CompletableFuture<Run> migration = runAsync(out, "migrate", "--to", "2", "--lock-timeout", "300ms");
    await().atMost(Duration.ofSeconds(30)).until(() -> text(out).contains("retry 2 of 10"));
    blocker.rollback();
    Run run = migration.get();

    assertThat(run.exitCode()).as(run.err()).isZero();
    RunnerResult result = run.result();
    assertThat(result.getWarnings()).contains(
        "V2__amount_index.sql left the invalid index public.orders_amount_idx on orders after its concurrent"
            + " build failed; the runner drops it");
    assertThat(run.out()).contains("dropped invalid index public.orders_amount_idx on orders");
    assertThat(Sql.rows(database,
            "SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                + " WHERE i.indrelid = 'orders'::regclass ORDER BY 1"))
        .containsExactly("orders_amount_idx|t", "orders_pkey|t");
    assertThat(Sql.history(database)).containsExactly("1|V1__orders.sql|t", "2|V2__amount_index.sql|t");
  }

  @Test
  void leavesAnInvalidIndexItDidNotCreateAloneButWarnsAboutIt() throws Exception {
    hold("UPDATE orders SET amount = amount + 1 WHERE id = 1");
    try (Connection killedJob = database.connect(); Statement statement = killedJob.createStatement()) {
      statement.execute("SET lock_timeout = '200ms'");
      assertThatThrownBy(() -> statement.execute("CREATE INDEX CONCURRENTLY orders_leftover_idx ON orders (amount)"))
          .hasMessageContaining("lock timeout");
    }
    blocker.rollback();

    Run run = runner.run("migrate", "--to", "2");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.result().getWarnings()).containsExactly(
        "the invalid index public.orders_leftover_idx on orders was already there (a killed concurrent build?);"
            + " the runner leaves it alone — drop it with DROP INDEX CONCURRENTLY if a script creates it IF NOT EXISTS");
    assertThat(Sql.value(database,
            "SELECT indisvalid FROM pg_index WHERE indexrelid = 'orders_leftover_idx'::regclass"))
        .isEqualTo("f");
  }

  private void hold(String sql) throws SQLException {
    try (Statement statement = blocker.createStatement()) {
      statement.execute(sql);
    }
  }

  private CompletableFuture<Run> runAsync(ByteArrayOutputStream out, String... args) {
    PrintStream printer = new PrintStream(out, true, StandardCharsets.UTF_8);
    return CompletableFuture.supplyAsync(() -> runner.run(printer, out, new ByteArrayOutputStream(), args));
  }

  private static String text(ByteArrayOutputStream out) {
    return out.toString(StandardCharsets.UTF_8);
  }

  private void queryUntilStopped(AtomicBoolean measuring, AtomicLong longestMillis, AtomicLong queries) {
    try (Connection application = database.connect(); Statement statement = application.createStatement()) {
      while (measuring.get()) {
        long started = System.nanoTime();
        statement.execute("SELECT count(*) FROM orders");
        longestMillis.accumulateAndGet((System.nanoTime() - started) / 1_000_000, Math::max);
        queries.incrementAndGet();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
