package dev.lockstep.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.flywaydb.core.api.configuration.ClassicConfiguration;
import org.flywaydb.core.internal.parser.ParsingContext;
import org.flywaydb.core.internal.resource.StringResource;
import org.flywaydb.core.internal.sqlscript.SqlStatementIterator;
import org.flywaydb.database.postgresql.PostgreSQLParser;
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
  void decidesTransactionsAsFlywaysOwnParserDoes() throws ScriptException {
    // Flyway's parser without a database assumes a server older than 12: compare with version 11.
    ScriptSplitter splitter = new ScriptSplitter(11);
    PostgreSQLParser flyway = new PostgreSQLParser(new ClassicConfiguration(), new ParsingContext());
    List<String> statements = List.of("CREATE INDEX CONCURRENTLY i ON t (a)", "create unique index concurrently i on t (a)",
        "DROP INDEX CONCURRENTLY IF EXISTS i", "CREATE /* x */ INDEX CONCURRENTLY i ON t (a)", "CREATE INDEX i ON t (a)",
        "REINDEX TABLE CONCURRENTLY t", "REINDEX SCHEMA public", "REINDEX VERBOSE DATABASE d", "VACUUM FULL t",
        "vacuum", "CREATE DATABASE d", "DROP TABLESPACE s", "ALTER SYSTEM SET work_mem = '1MB'", "DISCARD ALL",
        "ALTER TYPE mood ADD VALUE 'x'", "ALTER TYPE public.mood ADD VALUE IF NOT EXISTS 'x'", "CLUSTER",
        "ALTER TABLE t DETACH PARTITION p CONCURRENTLY", "SELECT 1", "BEGIN", "COMMIT");
    for (String statement : statements) {
      boolean flywaysAnswer;
      try (SqlStatementIterator iterator = flyway.parse(new StringResource(statement + ";"))) {
        flywaysAnswer = iterator.next().canExecuteInTransaction();
      }
      assertThat(splitter.split("V1__x.sql", statement + ";").transactional()).as(statement).isEqualTo(flywaysAnswer);
    }
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
