package dev.lockstep.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.protocol.RunnerResult;
import dev.lockstep.protocol.StuckState;
import dev.lockstep.runner.testing.RunnerDatabase;
import dev.lockstep.runner.testing.RunnerHarness;
import dev.lockstep.runner.testing.RunnerHarness.Run;
import dev.lockstep.runner.testing.Sql;
import dev.lockstep.runner.testing.TestPostgres.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A non-transactional script that fails after its first statement: the runner leaves its failed
 * history row, reports it as a stuck state and refuses to migrate; {@code lockstep repair} checks the
 * script's leftovers, drops its invalid index and removes the row, so that the next migrate succeeds.
 */
@ExtendWith(RunnerDatabase.class)
class RepairCommandTest {

  private static final String V2 = "V2__order_indexes.sql";
  /** The first statement succeeds; the second fails while the references have duplicates. */
  private static final String V2_SQL =
      "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer ON orders (customer);\n"
          + "CREATE UNIQUE INDEX CONCURRENTLY orders_reference ON orders (reference);\n";


  @TempDir Path workDir;
  private TestDatabase database;
  private RunnerHarness runner;

  @BeforeEach
  void ordersWithDuplicateReferences(TestDatabase fresh) {
    database = fresh;
    runner = new RunnerHarness(workDir, database)
        .script("V1__orders.sql",
            "CREATE TABLE orders (id bigint PRIMARY KEY, customer bigint, reference text);\n"
                + "INSERT INTO orders SELECT g, g % 7, 'R' || (g % 50) FROM generate_series(1, 100) g;")
        .script(V2, V2_SQL);
    assertThat(runner.run("migrate", "--to", "1").exitCode()).isZero();
  }

  @Test
  void aScriptThatFailsHalfWayIsReportedAsStuckAndBlocksTheNextMigrate() {
    Run failed = runner.run("migrate", "--to", "2");

    assertThat(failed.exitCode()).isEqualTo(1);
    RunnerResult result = failed.result();
    assertThat(result.getError()).startsWith(V2 + " failed: could not create unique index \"orders_reference\"");
    assertThat(result.getStuck()).hasSize(1);
    StuckState row = result.getStuck().get(0);
    assertThat(row.getKind()).isEqualTo(StuckState.Kind.FAILED_MIGRATION);
    assertThat(row.getVersion()).isEqualTo("2");
    assertThat(row.getScript()).isEqualTo(V2);
    assertThat(Sql.history(database)).containsExactly("1|V1__orders.sql|t", "2|" + V2 + "|f");

    Run again = runner.run("migrate", "--to", "2");

    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.result().getError()).isEqualTo(V2 + " (version 2) failed half-way outside a transaction; its row"
        + " in flyway_schema_history is marked failed; nothing was migrated: it needs repair (lockstep repair)"
        + " before any migration runs");
    assertThat(again.result().getStuck()).extracting(StuckState::getKind)
        .containsExactly(StuckState.Kind.FAILED_MIGRATION);
    assertThat(Sql.history(database)).containsExactly("1|V1__orders.sql|t", "2|" + V2 + "|f");
  }

  @Test
  void repairDropsTheInvalidIndexTheScriptLeftRemovesTheRowAndTheScriptThenRuns() throws Exception {
    assertThat(runner.run("migrate", "--to", "2").exitCode()).isEqualTo(1);
    // A Job killed during the build would have left the index invalid; a failed build here leaves it so.
    try (Connection session = database.connect(); Statement statement = session.createStatement()) {
      statement.execute("CREATE UNIQUE INDEX CONCURRENTLY orders_reference ON orders (reference)");
    } catch (java.sql.SQLException expected) {
      assertThat(expected.getSQLState()).isEqualTo("23505");
    }
    database.execute("DELETE FROM orders WHERE id > 50"); // the duplicates fixed

    Run repair = runner.run("repair");

    assertThat(repair.exitCode()).as(repair.err()).isZero();
    assertThat(repair.result().getStuck()).extracting(StuckState::getKind)
        .containsExactly(StuckState.Kind.FAILED_MIGRATION, StuckState.Kind.INVALID_INDEX);
    assertThat(repair.out()).contains("dropped the invalid index public.orders_reference on orders the failed script left");
    assertThat(repair.out()).contains("removed the failed history row of " + V2 + " (version 2)");
    assertThat(Sql.history(database)).containsExactly("1|V1__orders.sql|t");

    Run migrate = runner.run("migrate", "--to", "2");

    assertThat(migrate.exitCode()).as(migrate.err()).isZero();
    assertThat(Sql.history(database)).containsExactly("1|V1__orders.sql|t", "2|" + V2 + "|t");
    assertThat(indexes()).containsExactly("orders_customer|t", "orders_pkey|t", "orders_reference|t");
  }

  @Test
  void repairRefusesAStatementThatRanAndCannotRunAgain() {
    runner.script(V2, "CREATE INDEX CONCURRENTLY orders_customer ON orders (customer);\n"
        + "CREATE UNIQUE INDEX CONCURRENTLY orders_reference ON orders (reference);\n");
    assertThat(runner.run("migrate", "--to", "2").exitCode()).isEqualTo(1);

    Run repair = runner.run("repair");

    assertThat(repair.exitCode()).isEqualTo(1);
    assertThat(repair.result().getError()).isEqualTo("cannot repair " + V2 + ": statement 1 (line 1) of " + V2
        + " built the index public.orders_customer on orders, and running it again would fail: drop the index"
        + " (DROP INDEX CONCURRENTLY \"public\".\"orders_customer\") or add IF NOT EXISTS to the statement;"
        + " nothing was repaired");
    assertThat(Sql.history(database)).containsExactly("1|V1__orders.sql|t", "2|" + V2 + "|f");
  }

  @Test
  void repairRefusesAStatementItCannotJudge() {
    runner.script(V2, "UPDATE orders SET customer = 0 WHERE customer IS NULL;\n"
        + "CREATE UNIQUE INDEX CONCURRENTLY orders_reference ON orders (reference);\n");
    runner.script(V2 + ".conf", "executeInTransaction=false\n");
    database.execute("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
        + " checksum, installed_by, execution_time, success) VALUES (2, '2', 'order indexes', 'SQL', '" + V2
        + "', 0, 'postgres', 1, false)");

    Run repair = runner.run("repair");

    assertThat(repair.exitCode()).isEqualTo(1);
    assertThat(repair.result().getError()).startsWith("cannot repair " + V2 + ": statement 1 (line 1) of " + V2
        + " (UPDATE orders SET customer = 0 WHERE customer IS NULL) may have taken effect and is not re-runnable");
  }

  @Test
  void aHeldFlywayLockIsReportedWithItsHolderAndTheRepairWaitsForIt() throws Exception {
    runner.script(V2, "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer ON orders (customer);");
    try (Connection blocker = database.connect()) {
      blocker.setAutoCommit(false);
      try (Statement statement = blocker.createStatement()) {
        statement.execute("LOCK TABLE orders IN SHARE ROW EXCLUSIVE MODE"); // the concurrent build waits for it
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      CompletableFuture<Run> migration = CompletableFuture.supplyAsync(() -> runner.run(
          new PrintStream(out, true, StandardCharsets.UTF_8), out, new ByteArrayOutputStream(),
          "migrate", "--to", "2", "--lock-timeout", "60s"));
      await().atMost(Duration.ofSeconds(30)).until(() -> out.toString(StandardCharsets.UTF_8).contains("applying"));

      Run repair = new RunnerHarness(workDir.resolve("repair"), database).run("repair");

      assertThat(repair.exitCode()).isEqualTo(1);
      StuckState lock = repair.result().getStuck().stream()
          .filter(s -> s.getKind() == StuckState.Kind.HELD_LOCK).findFirst().orElseThrow();
      assertThat(lock.getApplicationName()).isEqualTo("lockstep migrate");
      assertThat(lock.getPid()).isPositive();
      assertThat(lock.getAgeSeconds()).isNotNegative();
      assertThat(repair.result().getError()).startsWith("Flyway's advisory lock is held by session " + lock.getPid()
          + " (lockstep migrate), connected ");
      blocker.rollback();
      assertThat(migration.get().exitCode()).isZero();
    }
  }

  private java.util.List<String> indexes() {
    return Sql.rows(database, "SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
        + " WHERE i.indrelid = 'orders'::regclass ORDER BY 1");
  }
}
