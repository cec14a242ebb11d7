package dev.lockstep.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.protocol.RunnerResult;
import dev.lockstep.runner.testing.RunnerDatabase;
import dev.lockstep.runner.testing.RunnerHarness;
import dev.lockstep.runner.testing.RunnerHarness.Run;
import dev.lockstep.runner.testing.Sql;
import dev.lockstep.runner.testing.TestPostgres;
import dev.lockstep.runner.testing.TestPostgres.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(RunnerDatabase.class)
class MigrateCommandTest {

  @TempDir Path workDir;
  private TestDatabase database;
  private RunnerHarness runner;

  @BeforeEach
  void freshDatabase(TestDatabase fresh) {
    database = fresh;
    runner =
        new RunnerHarness(workDir, database)
            .script("V1__orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY, amount numeric NOT NULL);")
            .script("V2__currency.sql", "ALTER TABLE orders ADD COLUMN currency text;")
            .script("V3__audit.sql", "CREATE TABLE audit (id bigserial PRIMARY KEY, note text);")
            // Undo scripts sit next to the migrations; Flyway must never run them.
            .script("U2__currency.sql", "ALTER TABLE orders DROP COLUMN currency;")
            .script("U3__audit.sql", "DROP TABLE audit;");
  }

  @Test
  void migratesToTwoThenToThree() {
    Run toTwo = runner.run("migrate", "--to", "2");

    assertThat(toTwo.exitCode()).isZero();
    assertThat(toTwo.err()).isEmpty();
    RunnerResult first = toTwo.result();
    assertThat(first.isOk()).isTrue();
    assertThat(first.getCommand()).isEqualTo("migrate");
    assertThat(first.getVersionBefore()).isNull();
    assertThat(first.getVersionAfter()).isEqualTo("2");
    assertThat(first.getScripts()).extracting(RunnerResult.AppliedScript::getScript)
        .containsExactly("V1__orders.sql", "V2__currency.sql");
    assertThat(Sql.columns(database, "orders")).containsExactly("id", "amount", "currency");
    assertThat(Sql.columns(database, "audit")).isEmpty();
    assertThat(Sql.history(database)).containsExactly("1|V1__orders.sql|t", "2|V2__currency.sql|t");
    assertThat(toTwo.out()).contains("applied V2__currency.sql").contains("migrate ok: version none -> 2");

    Run toThree = runner.run("migrate", "--to", "3");

    assertThat(toThree.exitCode()).isZero();
    RunnerResult second = toThree.result();
    assertThat(second.getVersionBefore()).isEqualTo("2");
    assertThat(second.getVersionAfter()).isEqualTo("3");
    assertThat(second.getScripts()).extracting(RunnerResult.AppliedScript::getVersion).containsExactly("3");
    assertThat(Sql.columns(database, "audit")).containsExactly("id", "note");
    assertThat(Sql.history(database))
        .containsExactly("1|V1__orders.sql|t", "2|V2__currency.sql|t", "3|V3__audit.sql|t");
  }

  @Test
  void runningTheSameMigrateAgainChangesNothing() {
    assertThat(runner.run("migrate", "--to", "2").exitCode()).isZero();

    Run again = runner.run("migrate", "--to", "2");

    assertThat(again.exitCode()).isZero();
    RunnerResult result = again.result();
    assertThat(result.isOk()).isTrue();
    assertThat(result.getVersionBefore()).isEqualTo("2");
    assertThat(result.getVersionAfter()).isEqualTo("2");
    assertThat(result.getScripts()).isEmpty();
    assertThat(Sql.history(database)).containsExactly("1|V1__orders.sql|t", "2|V2__currency.sql|t");
  }

  @Test
  void aFailingScriptIsReportedOnOneLineAndLeavesNothingHalfApplied() {
    runner.script(
        "V2__currency.sql",
        "ALTER TABLE orders ADD COLUMN currency text;\nALTER TABLE orders ADD COLUMN currency text;\n");

    Run run = runner.run("migrate", "--to", "2");

    String expected =
        "V2__currency.sql failed: column \"currency\" of relation \"orders\" already exists (SQLSTATE 42701)";
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("lockstep migrate: " + expected + System.lineSeparator());
    RunnerResult result = run.result();
    assertThat(result.isOk()).isFalse();
    assertThat(result.getError()).isEqualTo(expected);
    assertThat(result.getVersionAfter()).isEqualTo("1");
    assertThat(result.getScripts()).extracting(RunnerResult.AppliedScript::getScript).containsExactly("V1__orders.sql");
    // The first ALTER of V2 rolled back with the second: no currency column, no history row.
    assertThat(Sql.columns(database, "orders")).containsExactly("id", "amount");
    assertThat(Sql.history(database)).containsExactly("1|V1__orders.sql|t");
    assertThat(run.everything()).doesNotContain(TestPostgres.PASSWORD).doesNotContain(database.url());
  }

  @Test
  void everyMigrationSessionHasTheLockTimeout() {
    runner.script(
        "V2__currency.sql",
        """
        CREATE TABLE seen AS
          SELECT current_setting('lock_timeout') AS lock_timeout,
                 current_setting('statement_timeout') AS statement_timeout,
                 current_setting('application_name') AS application_name;
        """);

    Run run = runner.run("migrate", "--to", "2", "--lock-timeout", "1500ms", "--statement-timeout", "30s");

    assertThat(run.exitCode()).isZero();
    assertThat(Sql.rows(database, "SELECT * FROM seen")).containsExactly("1500ms|30s|lockstep migrate");
  }

  @Test
  void createIndexConcurrentlyRunsOutsideATransaction() {
    runner.script("V2__currency.sql", "CREATE INDEX CONCURRENTLY orders_amount_idx ON orders (amount);");

    Run run = runner.run("migrate", "--to", "2");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(Sql.value(database,
            "SELECT indisvalid FROM pg_index WHERE indexrelid = 'orders_amount_idx'::regclass"))
        .isEqualTo("t");
  }

  @Test
  void appliesRepeatableScriptsAsFlywayDoes() {
    runner.script("R__big_orders.sql", "CREATE OR REPLACE VIEW big_orders AS SELECT * FROM orders WHERE amount > 100;");

    Run run = runner.run("migrate", "--to", "1");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.result().getScripts()).extracting(RunnerResult.AppliedScript::getScript)
        .containsExactly("V1__orders.sql", "R__big_orders.sql");
    assertThat(run.result().getVersionAfter()).isEqualTo("1");
    assertThat(Sql.columns(database, "big_orders")).containsExactly("id", "amount");
  }

  @Test
  void followsTheSymbolicLinksOfAConfigMapVolumeAndSkipsItsHiddenEntries() throws Exception {
    Path volume = workDir.resolve("configmap");
    Path timestamped = Files.createDirectories(volume.resolve("..2026_11_24_00_00_00.123"));
    Files.writeString(timestamped.resolve("V1__orders.sql"), "CREATE TABLE orders (id bigint PRIMARY KEY);");
    Files.writeString(timestamped.resolve("U1__orders.sql"), "DROP TABLE orders;");
    Files.createSymbolicLink(volume.resolve("..data"), timestamped.getFileName());
    Files.createSymbolicLink(volume.resolve("V1__orders.sql"), Path.of("..data", "V1__orders.sql"));
    Files.createSymbolicLink(volume.resolve("U1__orders.sql"), Path.of("..data", "U1__orders.sql"));

    Run run = runner.run("migrate", "--to", "1", "--scripts", volume.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(Sql.history(database)).containsExactly("1|V1__orders.sql|t");
  }

  @Test
  void refusesToGoBackToAnOlderVersion() {
    assertThat(runner.run("migrate", "--to", "3").exitCode()).isZero();

    Run run = runner.run("migrate", "--to", "2");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.result().getError())
        .isEqualTo("the database is at version 3, newer than --to 2; migrate never goes back (lockstep undo --to 2 does)");
    assertThat(run.result().getVersionAfter()).isEqualTo("3");
  }

  @Test
  void aMissingEnvironmentVariableIsBadInputNamingIt() {
    runner.env().remove("LOCKSTEP_DB_PASSWORD");

    Run run = runner.run("migrate", "--to", "2");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines()).containsExactly(
        "lockstep migrate: environment variable LOCKSTEP_DB_PASSWORD is not set; it must hold the database"
            + " password (the operator sets it from the database Secret)");
    assertThat(run.result().isOk()).isFalse();
    assertThat(Sql.column(database, "SELECT to_regclass('flyway_schema_history')::text")).containsOnlyNulls();
  }

  @Test
  void badInputIsExitCodeTwoWithAResult() {
    Run noDirectory = runner.run("migrate", "--to", "2", "--scripts", "/lockstep/elsewhere");
    Run noScript = runner.run("migrate", "--to", "9");
    Run badDuration = runner.run("migrate", "--to", "2", "--lock-timeout", "2 seconds");
    Run noTarget = runner.run("migrate");

    assertThat(noDirectory.exitCode()).isEqualTo(2);
    assertThat(noDirectory.result().getError())
        .isEqualTo("scripts directory /lockstep/elsewhere does not exist; mount the scripts there or pass --scripts");
    assertThat(noScript.exitCode()).isEqualTo(2);
    assertThat(noScript.result().getError()).isEqualTo("--to 9: no migration script V9__*.sql in /lockstep/scripts");
    assertThat(badDuration.exitCode()).isEqualTo(2);
    assertThat(badDuration.result().getError()).startsWith("--lock-timeout is \"2 seconds\", which is not a duration");
    assertThat(noTarget.exitCode()).isEqualTo(2);
    assertThat(noTarget.err().lines()).containsExactly(
        "lockstep migrate: --to is required; give a Flyway version such as 2 or 1.1");
  }

  @Test
  void anUnknownDatabaseHostFailsAtOnceNamingTheHost() {
    runner.env().put("LOCKSTEP_DB_URL", "jdbc:postgresql://no-such-host.invalid:5432/orders");

    Run run = runner.run("migrate", "--to", "1");

    assertFailsAtOnce(run, 1, "unknown database host no-such-host.invalid");
  }

  @Test
  void aDatabaseThatDoesNotExistFailsAtOnce() {
    runner.env().put("LOCKSTEP_DB_URL", database.url().replaceAll("/[^/?]+(\\?|$)", "/no_such_database$1"));

    Run run = runner.run("migrate", "--to", "1");

    assertFailsAtOnce(run, 1, "database \"no_such_database\" does not exist (SQLSTATE 3D000)");
  }

  @Test
  void aMalformedJdbcUrlFailsAtOnceAsBadInput() {
    runner.env().put("LOCKSTEP_DB_URL", "jdbc:postgresql://127.0.0.1:not-a-port/orders?password=" + TestPostgres.PASSWORD);

    Run run = runner.run("migrate", "--to", "1");

    assertFailsAtOnce(run, 2, "LOCKSTEP_DB_URL is not a valid PostgreSQL JDBC URL");
    assertThat(run.everything()).doesNotContain(TestPostgres.PASSWORD);
  }

  /** Failed with {@code exitCode} and one line naming {@code problem}, without one run again. */
  private static void assertFailsAtOnce(Run run, int exitCode, String problem) {
    assertThat(run.exitCode()).isEqualTo(exitCode);
    assertThat(run.result().getError()).contains(problem).doesNotContain("\n");
    assertThat(run.result().getReconnects()).as("nothing to wait for: not run again").isNull();
    assertThat(run.out()).doesNotContain("running again on a new connection");
  }
}
