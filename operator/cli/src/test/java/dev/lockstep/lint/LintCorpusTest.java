package dev.lockstep.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.lint.rules.Rule;
import dev.lockstep.sql.ScriptSplitter;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every case of the corpus, statically: exactly the declared findings, no more, no fewer. */
class LintCorpusTest {

  private static final Set<Rule> OBSERVATION_ONLY = EnumSet.of(Rule.OBSERVED_REWRITE, Rule.STATEMENT_FAILS);

  static List<LintCorpus.Case> cases() {
    return LintCorpus.cases();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void findsExactlyTheDeclaredFindings(LintCorpus.Case corpusCase) throws LintException {
    LintResult result = new Linter(14, null).lint(LintUnit.ofScripts(corpusCase.scripts(), new ScriptSplitter(14)));

    assertThat(found(result, LintCorpus.BASELINE)).as("the baseline").isEmpty();
    for (String script : corpusCase.caseScripts()) {
      assertThat(found(result, script)).as(script).isEqualTo(corpusCase.expected(script));
    }
  }

  @Test
  void everyRuleHasPositiveAndNegativeCases() {
    for (Rule rule : Rule.values()) {
      if (OBSERVATION_ONLY.contains(rule)) {
        continue;
      }
      List<LintCorpus.Case> positive = casesNamed(rule.id() + ".positive");
      List<LintCorpus.Case> negative = casesNamed(rule.id() + ".negative");
      assertThat(positive).as("positive cases of " + rule.id()).isNotEmpty();
      assertThat(negative).as("negative cases of " + rule.id()).isNotEmpty();
      for (LintCorpus.Case corpusCase : positive) {
        Set<String> expected = corpusCase.caseScripts().stream()
            .flatMap(script -> corpusCase.expected(script).stream()).collect(Collectors.toSet());
        assertThat(expected).as(corpusCase.name()).anyMatch(entry -> entry.startsWith(rule.id() + "@"));
      }
      for (LintCorpus.Case corpusCase : negative) {
        for (String script : corpusCase.caseScripts()) {
          assertThat(corpusCase.expected(script)).as(corpusCase.name()).noneMatch(e -> e.startsWith(rule.id() + "@"));
        }
      }
    }
  }

  private static List<LintCorpus.Case> casesNamed(String prefix) {
    return LintCorpus.cases().stream().filter(c -> c.name().startsWith(prefix)).toList();
  }

  private static Set<String> found(LintResult result, String script) {
    return result.findings().stream()
        .filter(finding -> finding.file().equals(script))
        .map(finding -> finding.rule().id() + "@" + finding.line())
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
