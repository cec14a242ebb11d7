package dev.lockstep.shadow;

import dev.lockstep.lint.shadow.ObservedLock;

import dev.lockstep.lint.shadow.StatementObservation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.lint.LintException;
import dev.lockstep.lint.LintUnit;
import dev.lockstep.lint.rules.LockMode;
import dev.lockstep.lint.shadow.StatementObservation.Method;
import dev.lockstep.sql.ScriptSplitter;
import dev.lockstep.sql.SqlStatement;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the shadow database reports for single statements, by how Flyway runs them. */
class ShadowDatabaseTest {

  private static final String TABLE = "CREATE TABLE orders (id bigint PRIMARY KEY, status text);";

  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = ShadowDatabase.startServer();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    postgres.close();
  }

  @Test
  void aConcurrentIndexBuildIsWatchedFromASecondSession() throws LintException {
    StatementObservation index = observe(TABLE, "CREATE INDEX CONCURRENTLY orders_status ON orders (status);").get(0);

    assertThat(index.method()).isEqualTo(Method.SECOND_SESSION);
    assertThat(index.error()).isNull();
    assertThat(index.locks()).contains(new ObservedLock("orders", LockMode.SHARE_UPDATE_EXCLUSIVE, true, false));
    assertThat(index.rewritten()).isEmpty();
  }

  @Test
  void vacuumFullIsSeenAskingForAccessExclusiveAndRewriting() throws LintException {
    StatementObservation vacuum = observe(TABLE, "VACUUM FULL orders;").get(0);

    assertThat(vacuum.method()).isEqualTo(Method.SECOND_SESSION);
    assertThat(vacuum.lockOn("orders")).isEqualTo(LockMode.ACCESS_EXCLUSIVE);
    assertThat(vacuum.rewritten()).containsExactly("orders");
  }

  @Test
  void tablesOfEarlierScriptsGetRowsSoThatARequiredColumnFails() throws LintException {
    StatementObservation add = observe(TABLE, "ALTER TABLE orders ADD COLUMN region text NOT NULL;").get(0);

    assertThat(add.method()).isEqualTo(Method.IN_TRANSACTION);
    assertThat(add.error()).startsWith("23502: ERROR: column \"region\" of relation \"orders\" contains null values");
  }

  @Test
  void afterAFailureTheRestOfTheTransactionIsNotRunAndLaterScriptsStillAre() throws LintException {
    List<StatementObservation> observations = observe(TABLE,
        "ALTER TABLE orders ADD COLUMN region text NOT NULL;\nALTER TABLE orders ADD COLUMN note text;",
        "ALTER TABLE orders ALTER COLUMN status TYPE varchar(10);");

    assertThat(observations.get(1).method()).isEqualTo(Method.NOT_RUN);
    assertThat(observations.get(1).error()).startsWith("not run: the statement at line 1 failed");
    assertThat(observations.get(2).error()).isNull();
    assertThat(observations.get(2).rewritten()).containsExactly("orders");
  }

  @Test
  void locksOfEarlierStatementsInTheTransactionAreHeldAndMarkedSo() throws LintException {
    List<StatementObservation> observations = observe(TABLE,
        "ALTER TABLE orders ADD COLUMN note text;\nCREATE INDEX orders_note ON orders (note);");

    StatementObservation index = observations.get(1);
    assertThat(index.locks()).contains(new ObservedLock("orders", LockMode.ACCESS_EXCLUSIVE, false, true));
    assertThat(index.locks()).anyMatch(lock -> lock.relation().equals("orders_note") && lock.takenByStatement());
  }

  @Test
  void tablesCreatedInTheSameScriptAreNotReportedAsRewritten() throws LintException {
    StatementObservation change = observe(
        "CREATE TABLE t (a int);\nINSERT INTO t VALUES (1);\nALTER TABLE t ALTER COLUMN a TYPE bigint;").get(2);

    assertThat(change.rewritten()).isEmpty();
  }

  @Test
  void statementsOnTheServerAreNotRunSoTheShadowSurvivesThem() throws LintException {
    StatementObservation drop = observe(TABLE, "DROP DATABASE postgres;").get(0);

    assertThat(drop.method()).isEqualTo(Method.NOT_RUN);
    assertThat(drop.error()).startsWith("not run on the shadow database");
    assertThat(observe(TABLE, "VACUUM FULL orders;").get(0).rewritten()).containsExactly("orders");
  }

  /** The observations of the statements of the scripts after the first, V1, V2, ..., in order. */
  private static List<StatementObservation> observe(String... scripts) throws LintException {
    Map<String, String> files = new LinkedHashMap<>();
    for (int i = 0; i < scripts.length; i++) {
      files.put("V" + (i + 1) + "__s.sql", scripts[i]);
    }
    LintUnit unit = LintUnit.ofScripts(files, new ScriptSplitter(14));
    Map<SqlStatement, StatementObservation> observations = ShadowDatabase.on(postgres).observe(unit);
    int skip = scripts.length == 1 ? 0 : unit.unassigned().get(0).statements().size();
    return observations.values().stream().skip(skip).toList();
  }
}
