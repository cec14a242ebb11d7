package dev.lockstep.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PostgresLexerTest {

  @Test
  void foldsUnquotedWordsAndKeepsQuotedIdentifiers() throws SqlSyntaxException {
    List<SqlToken> tokens = PostgresLexer.tokenize("ALTER TABLE \"My \"\"Orders\"\"\" DROP Column note");

    assertThat(tokens).extracting(SqlToken::type).containsExactly(SqlTokenType.WORD, SqlTokenType.WORD,
        SqlTokenType.QUOTED_IDENTIFIER, SqlTokenType.WORD, SqlTokenType.WORD, SqlTokenType.WORD);
    assertThat(tokens.get(2).value()).isEqualTo("My \"Orders\"");
    assertThat(tokens.get(4).isWord("COLUMN")).isTrue();
    assertThat(tokens.get(2).isWord("my \"orders\"")).as("a quoted identifier is never a key word").isFalse();
  }

  @Test
  void nestedBlockCommentsEndAtTheirOwnClose() throws SqlSyntaxException {
    List<SqlToken> tokens = PostgresLexer.tokenize("/* a /* b */ DROP TABLE x; */ SELECT 1 -- DROP\n");

    assertThat(tokens).extracting(SqlToken::type)
        .containsExactly(SqlTokenType.COMMENT, SqlTokenType.WORD, SqlTokenType.NUMBER, SqlTokenType.COMMENT);
  }

  @Test
  void stringConstantsOfEveryForm() throws SqlSyntaxException {
    List<SqlToken> tokens = PostgresLexer.tokenize(
        "'it''s' E'it\\'s; x' e'\\\\' U&'d\\0061t' B'101' X'1F' N'n' $$a ' b$$ $fn$ $$ ; $fn$ 'C:\\'");

    assertThat(tokens).extracting(SqlToken::type).containsOnly(SqlTokenType.STRING);
    assertThat(tokens).extracting(SqlToken::value)
        .containsExactly("it's", "it's; x", "\\", "d\\0061t", "101", "1F", "n", "a ' b", " $$ ; ", "C:\\");
  }

  @Test
  void parametersNumbersOperatorsAndPlaceholders() throws SqlSyntaxException {
    List<SqlToken> tokens = PostgresLexer.tokenize("$1 + 1.5e3::numeric(10,2) <> ${flyway:user}");

    assertThat(tokens).extracting(SqlToken::text)
        .containsExactly("$1", "+", "1.5e3", "::", "numeric", "(", "10", ",", "2", ")", "<>", "$", "{",
            "flyway", ":", "user", "}");
    assertThat(tokens.get(0).type()).isEqualTo(SqlTokenType.PARAMETER);
  }

  @Test
  void anIdentifierMayContainDollarSigns() throws SqlSyntaxException {
    assertThat(PostgresLexer.tokenize("a$b$c")).extracting(SqlToken::value).containsExactly("a$b$c");
  }

  @Test
  void countsLinesInsideMultiLineTokens() throws SqlSyntaxException {
    List<SqlToken> tokens = PostgresLexer.tokenize("SELECT $$\n\n$$,\n/*\n*/ x");

    assertThat(tokens.get(tokens.size() - 1).line()).isEqualTo(5);
  }

  @Test
  void unterminatedConstructsAreErrorsWithTheirLine() {
    assertThatThrownBy(() -> PostgresLexer.tokenize("SELECT 1;\nSELECT 'abc"))
        .isInstanceOf(SqlSyntaxException.class).hasMessage("unterminated quoted string")
        .extracting(e -> ((SqlSyntaxException) e).line()).isEqualTo(2);
    assertThatThrownBy(() -> PostgresLexer.tokenize("/* /* */")).hasMessage("unterminated /* comment");
    assertThatThrownBy(() -> PostgresLexer.tokenize("SELECT \"x")).hasMessage("unterminated quoted identifier");
    assertThatThrownBy(() -> PostgresLexer.tokenize("SELECT $a$ x $b$"))
        .hasMessage("unterminated dollar-quoted string $a$");
  }
}
