package dev.lockstep.runner.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.runner.RunnerFailure;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SqlFragmentTest {

  @ParameterizedTest
  @ValueSource(strings = {
    "currency IS NULL",
    "note = 'a;b'",
    "note = 'it''s; fine'",
    "note = E'it\\'s; fine'",
    "note = E'\\\\' || ';'",
    "note = $$;$$",
    "note = $body$ ; $not_the_end$ ; $body$",
    "\"we;ird\" = 1",
    "\"say \"\"hi;\"\"\" = 1",
    "x = 1 -- ; a comment\n",
    "/* outer /* inner ; */ still a comment ; */ x = 1",
    "data ? 'key'",
    "U&'d\\0061t;' = note",
    "a$b = $1",
    "coalesce(a, (b + 1) * 2) > 0",
  })
  void acceptsSingleExpressions(String text) {
    assertThat(SqlFragment.require(text, "--where", "x")).isEqualTo(text);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      x = 1; DROP TABLE t            | --where has a ; at character 6; give a single SQL expression, not statements
      x = 1;                         | --where has a ; at character 6; give a single SQL expression, not statements
      '\\' ; x = '1'                 | --where has a ; at character 5; give a single SQL expression, not statements
      x = 'open                      | --where has an unterminated quoted string starting at character 5
      x = E'open\\'                  | --where has an unterminated quoted string starting at character 5
      x = $$open                     | --where has an unterminated dollar-quoted string $$ starting at character 5
      "open = 1                      | --where has an unterminated quoted identifier starting at character 1
      x = 1 /* open /* nested */     | --where has an unterminated /* comment starting at character 7
      (x = 1                         | --where has 1 unclosed (
      x = 1) OR (true                | --where has an unmatched ) at character 6
      -- only a comment              | --where holds only comments; give an SQL expression such as x
      """)
  void refusesAnythingElse(String text, String message) {
    assertThatThrownBy(() -> SqlFragment.require(text.strip(), "--where", "x"))
        .isInstanceOf(RunnerFailure.class)
        .hasMessage(message)
        .extracting(e -> ((RunnerFailure) e).exitCode())
        .isEqualTo(RunnerFailure.BAD_INPUT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   "})
  void refusesNothing(String text) {
    assertThatThrownBy(() -> SqlFragment.require(text, "--set", "a = 1"))
        .hasMessage("--set is empty; give an SQL expression such as a = 1");
  }
}
