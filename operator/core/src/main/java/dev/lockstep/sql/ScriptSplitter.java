package dev.lockstep.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.ClassicConfiguration;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.internal.parser.ParsingContext;
import org.flywaydb.core.internal.parser.Token;
import org.flywaydb.core.internal.resource.StringResource;
import org.flywaydb.core.internal.sqlscript.ParserSqlScript;
import org.flywaydb.core.internal.sqlscript.SqlStatementIterator;
import org.flywaydb.database.postgresql.PostgreSQLParser;

/**
 * Splits a script into statements with Flyway's own PostgreSQL parser, so that the linter sees exactly
 * the statements the runner executes, and decides, as Flyway does, whether the script runs in one
 * transaction.
 *
 * <p>Flyway's parser works without a database connection. The settings are those the runner uses:
 * Flyway's defaults ({@code mixed=false}, {@code executeInTransaction=true}), overridden per script by
 * its {@code .conf} file as Flyway does. Placeholder replacement
 * is off here because the linter has no placeholder values; {@code ${name}} stays in the text.
 *
 * <p>Each statement is then lexed with {@link PostgresLexer}. Where Flyway and PostgreSQL read a
 * statement differently (Flyway does not know lower-case {@code e'..'} escape strings, so it can end a
 * statement inside one), the statement PostgreSQL would receive is incomplete; that is reported as an
 * error instead of being linted.
 */
public final class ScriptSplitter {

  private final Configuration configuration;
  private final PostgreSQLParser parser;

  /** @param postgresMajorVersion the target server's major version: Flyway's rules depend on it */
  public ScriptSplitter(int postgresMajorVersion) {
    ClassicConfiguration flyway = new ClassicConfiguration();
    flyway.setPlaceholderReplacement(false);
    this.configuration = flyway;
    this.parser = new VersionAwareParser(flyway, postgresMajorVersion);
  }

  /** The statements of {@code sql}, read from the file {@code name}. */
  public Script split(String name, String sql) throws ScriptException {
    return split(name, sql, null);
  }

  /**
   * The statements of {@code sql}, read from the file {@code name}, whose Flyway script configuration
   * (the {@code name.conf} file, such as {@code executeInTransaction=false}) is {@code scriptConfiguration},
   * or null when it has none.
   */
  public Script split(String name, String sql, String scriptConfiguration) throws ScriptException {
    ParserSqlScript flywayScript = new ParserSqlScript(parser, new StringResource(sql),
        scriptConfiguration == null ? null : new StringResource(scriptConfiguration), configuration.isMixed());
    List<SqlStatement> statements = new ArrayList<>();
    boolean transactional;
    try {
      transactional = flywayScript.executeInTransaction();
      boolean explicitTransaction = false;
      try (SqlStatementIterator iterator = flywayScript.getSqlStatements()) {
        while (iterator.hasNext()) {
          org.flywaydb.core.internal.sqlscript.SqlStatement flywayStatement = iterator.next();
          List<SqlToken> tokens = lex(name, flywayStatement.getLineNumber(), flywayStatement.getSql());
          if (tokens.isEmpty()) {
            continue;
          }
          TransactionControl control = TransactionControl.of(tokens);
          boolean inTransaction = transactional || explicitTransaction;
          statements.add(new SqlStatement(
              name, flywayStatement.getLineNumber(), flywayStatement.getSql(), tokens, inTransaction));
          if (control == TransactionControl.BEGIN) {
            explicitTransaction = true;
          } else if (control == TransactionControl.END) {
            explicitTransaction = false;
          }
        }
      }
    } catch (FlywayException e) {
      throw new ScriptException(name + ": Flyway cannot run this script: " + firstLine(e.getMessage())
          + mixedAdvice(e.getMessage()));
    }
    return new Script(name, List.copyOf(statements), transactional);
  }

  /** Tokens without comments; line numbers in errors are the script's. */
  private static List<SqlToken> lex(String name, int statementLine, String sql) throws ScriptException {
    List<SqlToken> all;
    try {
      all = PostgresLexer.tokenize(sql);
    } catch (SqlSyntaxException e) {
      int line = statementLine + e.line() - firstCodeLine(e);
      throw new ScriptException(name + ":" + line + ": " + e.getMessage() + " in the statement Flyway runs"
          + " (Flyway ends statements at the first ';' outside what it reads as quotes; write escape"
          + " strings as E'..' with an upper-case E, or use '' to escape a quote)");
    }
    List<SqlToken> code = new ArrayList<>(all.size());
    for (SqlToken token : all) {
      if (token.type() != SqlTokenType.COMMENT) {
        code.add(token);
      }
    }
    return code;
  }

  /** The lexer-relative line of the first token that is not a comment: Flyway's statement line. */
  private static int firstCodeLine(SqlSyntaxException e) {
    for (SqlToken token : e.tokensBefore()) {
      if (token.type() != SqlTokenType.COMMENT) {
        return token.line();
      }
    }
    return e.line();
  }

  private static String firstLine(String message) {
    int end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end);
  }

  private static String mixedAdvice(String message) {
    return message.contains("non-transactional")
        ? " (move each statement that cannot run in a transaction, such as CREATE INDEX CONCURRENTLY,"
            + " into a script of its own)"
        : "";
  }

  /**
   * Flyway's PostgreSQL parser with its rule for statements that cannot run in a transaction, taken
   * from Flyway 12.4's {@code PostgreSQLParser.detectCanExecuteInTransaction}, except that the server
   * version comes from the configuration. Flyway's own asks the live database whether it is older
   * than 12 (for {@code ALTER TYPE .. ADD VALUE}); with no connection that throws, and is caught, for
   * every key word of every statement, which makes splitting some 30 times slower and would treat
   * every server as older than 12. ScriptSplitterTest checks this rule against Flyway's.
   */
  private static final class VersionAwareParser extends PostgreSQLParser {

    private static final List<Pattern> NEVER_IN_TRANSACTION = List.of(
        Pattern.compile("^(CREATE|DROP) (DATABASE|TABLESPACE|SUBSCRIPTION)"),
        Pattern.compile("^ALTER SYSTEM"),
        Pattern.compile("^(CREATE|DROP)( UNIQUE)? INDEX CONCURRENTLY"),
        Pattern.compile("^REINDEX( VERBOSE)? (SCHEMA|DATABASE|SYSTEM)"),
        Pattern.compile("^VACUUM"),
        Pattern.compile("^DISCARD ALL"));
    private static final Pattern ALTER_TYPE_ADD_VALUE = Pattern.compile("^ALTER TYPE( .*)? ADD VALUE");
    /** The first words of the patterns above: any other statement can skip them. */
    private static final List<String> FIRST_WORDS = List.of("CREATE ", "DROP ", "ALTER ", "REINDEX ", "VACUUM", "DISCARD ");

    private final int postgresMajorVersion;

    VersionAwareParser(Configuration configuration, int postgresMajorVersion) {
      super(configuration, new ParsingContext());
      this.postgresMajorVersion = postgresMajorVersion;
    }

    @Override
    protected Boolean detectCanExecuteInTransaction(String simplifiedStatement, List<Token> keywords) {
      if (FIRST_WORDS.stream().noneMatch(simplifiedStatement::startsWith)) {
        return null; // called for each of a statement's first key words: keep the common case cheap
      }
      for (Pattern pattern : NEVER_IN_TRANSACTION) {
        if (pattern.matcher(simplifiedStatement).matches()) {
          return false;
        }
      }
      if (postgresMajorVersion < 12 && ALTER_TYPE_ADD_VALUE.matcher(simplifiedStatement).matches()) {
        return false;
      }
      return null;
    }
  }
}
