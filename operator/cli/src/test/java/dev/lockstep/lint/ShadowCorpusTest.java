package dev.lockstep.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.lint.rules.LockMode;
import dev.lockstep.shadow.ShadowDatabase;
import dev.lockstep.sql.ScriptSplitter;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of the corpus on a real PostgreSQL 14: the findings carry the lock and rewrite PostgreSQL
 * really showed, as each script's {@code -- observed:} lines declare, and no statement fails unless a
 * case says so.
 */
class ShadowCorpusTest {

  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = ShadowDatabase.startServer();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    postgres.close();
  }

  static List<LintCorpus.Case> cases() {
    return LintCorpus.cases();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void findingsCarryWhatPostgresDid(LintCorpus.Case corpusCase) throws LintException {
    Linter linter = new Linter(14, ShadowDatabase.on(postgres));
    LintResult result = linter.lint(LintUnit.ofScripts(corpusCase.scripts(), new ScriptSplitter(14)));

    for (String script : corpusCase.scripts().keySet().stream().filter(n -> n.endsWith(".sql")).toList()) {
      List<Finding> findings = result.findings().stream().filter(f -> f.file().equals(script)).toList();
      Map<String, Map<String, String>> declared = corpusCase.observed(script);
      Set<String> expected = new TreeSet<>(corpusCase.expected(script));
      declared.keySet().stream().filter(k -> k.startsWith("observed-") || k.startsWith("statement-"))
          .forEach(expected::add);
      Set<String> found = findings.stream().map(f -> f.rule().id() + "@" + f.line())
          .collect(Collectors.toCollection(TreeSet::new));
      assertThat(found).as(script + ": findings").isEqualTo(expected);
      for (Finding finding : findings) {
        assertThat(finding.observed()).as(script + ": " + finding.rule().id() + " was observed").isNotNull();
      }
      declared.forEach((key, facts) -> {
        Finding finding = findings.stream().filter(f -> key.equals(f.rule().id() + "@" + f.line())).findFirst()
            .orElseThrow(() -> new AssertionError(script + ": no finding " + key));
        String note = script + " " + key + ": " + finding.observed().note();
        if (!facts.get("lock").equals("-")) {
          assertThat(finding.lock()).as(note).isEqualTo(LockMode.valueOf(facts.get("lock")));
        }
        assertThat(finding.rewrite()).as(note).isEqualTo(facts.get("rewrite").equals("yes"));
        if (facts.containsKey("risk")) {
          assertThat(finding.risk().label()).as(note).isEqualTo(facts.get("risk"));
        }
      });
      LintCorpus.notes(corpusCase.scripts().get(script)).forEach((key, text) -> {
        Finding finding = findings.stream().filter(f -> key.equals(f.rule().id() + "@" + f.line())).findFirst()
            .orElseThrow(() -> new AssertionError(script + ": no finding " + key + " for its note"));
        assertThat(finding.observed().note()).as(script + " " + key + ": the note").contains(text);
      });
    }
  }
}
