package dev.lockstep.lint.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScriptSplitterTest {

  private final ScriptSplitter splitter = new ScriptSplitter(14);

  @Test
  void splitsWhereFlywaySplitsWithTheLineOfEachStatement() throws ScriptException {
    Script script = splitter.split("V2__x.sql", """
        -- leading comment
        CREATE TABLE t (a int);  /* trailing; */

        CREATE FUNCTION f() RETURNS int LANGUAGE sql
          AS $$ SELECT 1; $$;
        CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;
        INSERT INTO t VALUES (1)""");

    assertThat(script.statements()).extracting(SqlStatement::line).containsExactly(2, 4, 6, 7);
    assertThat(script.statements()).extracting(SqlStatement::text).containsExactly(
        "CREATE TABLE t (a int)",
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$",
        "CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END",
        "INSERT INTO t VALUES (1)");
    assertThat(script.transactional()).isTrue();
    assertThat(script.statements()).allMatch(SqlStatement::inTransaction);
  }

  @Test
  void aScriptWithOnlyNonTransactionalStatementsRunsOutsideATransaction() throws ScriptException {
    Script script = splitter.split("V3__x.sql",
        "CREATE INDEX CONCURRENTLY i ON t (a);\nDROP INDEX CONCURRENTLY j;\nVACUUM t;");

    assertThat(script.transactional()).isFalse();
    assertThat(script.statements()).noneMatch(SqlStatement::inTransaction);
  }

  @Test
  void explicitBeginOpensATransactionUntilCommit() throws ScriptException {
    Script script = splitter.split("V3__x.sql",
        "BEGIN;\nCREATE INDEX CONCURRENTLY i ON t (a);\nCOMMIT;\nVACUUM t;", "executeInTransaction=false");

    assertThat(script.statements()).extracting(SqlStatement::inTransaction).containsExactly(false, true, true, false);
  }

  @Test
  void alterTypeAddValueIsTransactionalFromPostgres12AsFlywayDecidesWithADatabase() throws ScriptException {
    String sql = "ALTER TYPE mood ADD VALUE 'x';";

    assertThat(new ScriptSplitter(14).split("V2__x.sql", sql).transactional()).isTrue();
    assertThat(new ScriptSplitter(11).split("V2__x.sql", sql).transactional()).isFalse();
  }

  @Test
  void mixingTransactionalAndNonTransactionalStatementsIsAnErrorAsInFlyway() {
    assertThatThrownBy(() -> splitter.split("V4__mixed.sql", "SELECT 1;\nCREATE INDEX CONCURRENTLY i ON t (a);"))
        .isInstanceOf(ScriptException.class)
        .hasMessageStartingWith("V4__mixed.sql: Flyway cannot run this script: Detected both transactional and"
            + " non-transactional statements")
        .hasMessageContaining("line 2")
        .hasMessageContaining("into a script of its own");
  }

  @Test
  void aStatementFlywayEndsInsideAStringIsAnErrorAtItsLine() {
    // Flyway does not know lower-case e'' escape strings: it ends the statement at the ';' inside.
    assertThatThrownBy(() -> splitter.split("V5__e.sql", "SELECT 1;\n-- note\nSELECT e'it\\'s; x';"))
        .isInstanceOf(ScriptException.class)
        .hasMessageStartingWith("V5__e.sql:3: unterminated quoted string in the statement Flyway runs");
  }

  @Test
  void upperCaseEscapeStringsAreSplitCorrectly() throws ScriptException {
    Script script = splitter.split("V5__e.sql", "INSERT INTO t VALUES (E'it\\'s; x');\nSELECT 2;");

    assertThat(script.statements()).hasSize(2);
  }
}
