package dev.lockstep.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.protocol.RunnerResult;
import dev.lockstep.runner.testing.RunnerDatabase;
import dev.lockstep.runner.testing.RunnerHarness;
import dev.lockstep.runner.testing.RunnerHarness.Run;
import dev.lockstep.runner.testing.Sql;
import dev.lockstep.runner.testing.TestPostgres.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(RunnerDatabase.class)
class UndoCommandTest {

  @TempDir Path workDir;
  private TestDatabase database;
  private RunnerHarness runner;

  @BeforeEach
  void databaseAtVersionThree(TestDatabase fresh) {
    database = fresh;
    runner =
        new RunnerHarness(workDir, database)
            .script(
                "V1__orders.sql",
                "CREATE TABLE orders (id bigint PRIMARY KEY, amount numeric NOT NULL);\n"
                    + "CREATE TABLE undo_log (n serial PRIMARY KEY, version text NOT NULL);")
            .script("V2__currency.sql", "ALTER TABLE orders ADD COLUMN currency text;")
            .script("V3__audit.sql", "CREATE TABLE audit (id bigserial PRIMARY KEY, note text);")
            .script(
                "U2__currency.sql",
                "ALTER TABLE orders DROP COLUMN currency;\nINSERT INTO undo_log (version) VALUES ('2');")
            .script("U3__audit.sql", "DROP TABLE audit;\nINSERT INTO undo_log (version) VALUES ('3');");
    assertThat(runner.run("migrate", "--to", "3").exitCode()).isZero();
  }

  @Test
  void undoesNewestFirstAndMakesTheVersionsPendingAgain() {
    Run run = runner.run("undo", "--to", "1");

    assertThat(run.exitCode()).as(run.err()).isZero();
    RunnerResult result = run.result();
    assertThat(result.getCommand()).isEqualTo("undo");
    assertThat(result.getVersionBefore()).isEqualTo("3");
    assertThat(result.getVersionAfter()).isEqualTo("1");
    assertThat(result.getScripts()).extracting(RunnerResult.AppliedScript::getScript)
        .containsExactly("U3__audit.sql", "U2__currency.sql");
    assertThat(Sql.column(database, "SELECT version FROM undo_log ORDER BY n")).containsExactly("3", "2");
    assertThat(Sql.columns(database, "orders")).containsExactly("id", "amount");
    assertThat(Sql.columns(database, "audit")).isEmpty();
    assertThat(Sql.history(database)).containsExactly("1|V1__orders.sql|t");

    Run again = runner.run("migrate", "--to", "3");

    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.result().getVersionBefore()).isEqualTo("1");
    assertThat(again.result().getScripts()).extracting(RunnerResult.AppliedScript::getVersion)
        .containsExactly("2", "3");
    assertThat(Sql.columns(database, "orders")).containsExactly("id", "amount", "currency");
    assertThat(Sql.column(database, "SELECT version FROM flyway_schema_history ORDER BY installed_rank"))
        .containsExactly("1", "2", "3");
  }

  @Test
  void aMissingUndoScriptIsAnErrorBeforeAnythingIsUndone() {
    runner.scripts().resolve("U2__currency.sql").toFile().delete();

    Run run = runner.run("undo", "--to", "1");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.result().getError())
        .isEqualTo("no undo script U2__*.sql for version 2 in /lockstep/scripts; nothing was undone");
    assertThat(run.err().lines()).containsExactly("lockstep undo: " + run.result().getError());
    assertThat(run.result().getVersionAfter()).isEqualTo("3");
    assertThat(Sql.columns(database, "audit")).containsExactly("id", "note");
    assertThat(Sql.column(database, "SELECT version FROM undo_log")).isEmpty();
    assertThat(Sql.history(database)).hasSize(3);
  }

  @Test
  void undoToTheCurrentVersionDoesNothing() {
    Run run = runner.run("undo", "--to", "3");

    assertThat(run.exitCode()).isZero();
    assertThat(run.result().getVersionBefore()).isEqualTo("3");
    assertThat(run.result().getVersionAfter()).isEqualTo("3");
    assertThat(run.result().getScripts()).isEmpty();
    assertThat(Sql.history(database)).hasSize(3);
  }

  @Test
  void aFailingUndoScriptRollsBackWithItsHistoryChange() {
    runner.script("U2__currency.sql", "INSERT INTO undo_log (version) VALUES ('2');\nALTER TABLE orders DROP COLUMN nope;");

    Run run = runner.run("undo", "--to", "1");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.result().getError())
        .isEqualTo("U2__currency.sql failed: column \"nope\" of relation \"orders\" does not exist (SQLSTATE 42703)");
    // Version 3 was undone in its own transaction; version 2 is untouched, its history row kept.
    assertThat(run.result().getVersionAfter()).isEqualTo("2");
    assertThat(Sql.column(database, "SELECT version FROM undo_log ORDER BY n")).containsExactly("3");
    assertThat(Sql.columns(database, "orders")).containsExactly("id", "amount", "currency");
    assertThat(Sql.history(database)).containsExactly("1|V1__orders.sql|t", "2|V2__currency.sql|t");
  }

  @Test
  void undoesAConcurrentIndexOutsideATransaction() {
    runner
        .script("V4__amount_index.sql", "CREATE INDEX CONCURRENTLY orders_amount_idx ON orders (amount);")
        .script("U4__amount_index.sql", "DROP INDEX CONCURRENTLY IF EXISTS orders_amount_idx;");
    assertThat(runner.run("migrate", "--to", "4").exitCode()).isZero();

    Run run = runner.run("undo", "--to", "3");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(Sql.column(database, "SELECT to_regclass('orders_amount_idx')::text")).containsOnlyNulls();
    assertThat(Sql.column(database, "SELECT version FROM flyway_schema_history ORDER BY installed_rank"))
        .containsExactly("1", "2", "3");
  }
}
