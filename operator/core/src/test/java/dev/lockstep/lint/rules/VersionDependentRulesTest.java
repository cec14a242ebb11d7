package dev.lockstep.lint.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.sql.ScriptException;
import dev.lockstep.sql.ScriptSplitter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Facts that depend on the target server's version, as --pg-version selects them. */
class VersionDependentRulesTest {

  private static final String TABLE = "CREATE TABLE orders (id bigint, status text);";

  @Test
  void beforePostgres11AnyNonNullDefaultRewritesTheTable() throws ScriptException {
    String add = "ALTER TABLE orders ADD COLUMN currency text DEFAULT 'EUR';";

    List<RuleHit> on10 = hits(10, TABLE, add);
    assertThat(on10).extracting(hit -> hit.rule()).containsExactly(Rule.ADDING_COLUMN_VOLATILE_DEFAULT);
    assertThat(on10.get(0).reason()).startsWith("Before PostgreSQL 11, ADD COLUMN with any non-null default");
    assertThat(hits(11, TABLE, add)).isEmpty();
  }

  @Test
  void aValidatedNotNullCheckLetsSetNotNullSkipItsScanFromPostgres12() throws ScriptException {
    String[] scripts = {TABLE,
        "ALTER TABLE orders ADD CONSTRAINT status_nn CHECK (status IS NOT NULL) NOT VALID;",
        "ALTER TABLE orders VALIDATE CONSTRAINT status_nn;",
        "ALTER TABLE orders ALTER COLUMN status SET NOT NULL;"};

    assertThat(hits(11, scripts)).extracting(RuleHit::rule).containsExactly(Rule.SETTING_NOT_NULL);
    assertThat(hits(12, scripts)).isEmpty();
  }

  @Test
  void beforePostgres12FlywayRunsAddingAnEnumValueOutsideATransaction() throws ScriptException {
    String type = "CREATE TYPE mood AS ENUM ('happy');";
    String addAlone = "ALTER TYPE mood ADD VALUE 'sad';";
    String addWithMore = "ALTER TYPE mood ADD VALUE 'sad';\nCREATE TABLE t (m mood);";

    assertThat(hits(11, type, addAlone)).extracting(RuleHit::rule).containsExactly(Rule.ENUM_ADD_VALUE);
    assertThat(hits(12, type, addWithMore)).extracting(RuleHit::rule).containsExactly(Rule.ENUM_ADD_VALUE);
    assertThatThrownBy(() -> hits(11, type, addWithMore))
        .hasMessageContaining("Flyway cannot run this script: Detected both transactional and non-transactional");
  }

  /** The hits of the last script, after the earlier ones, as versions V1, V2, ... */
  private static List<RuleHit> hits(int postgresMajorVersion, String... scripts) throws ScriptException {
    ScriptSplitter splitter = new ScriptSplitter(postgresMajorVersion);
    StaticAnalyzer analyzer = new StaticAnalyzer(postgresMajorVersion);
    List<RuleHit> hits = List.of();
    for (int i = 0; i < scripts.length; i++) {
      hits = analyzer.analyze(splitter.split("V" + (i + 1) + "__s.sql", scripts[i]));
    }
    return hits;
  }
}
