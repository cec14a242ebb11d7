package dev.lockstep.runner.undo;

import dev.lockstep.runner.RunnerFailure;
import dev.lockstep.runner.scripts.ScriptFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.internal.parser.ParsingContext;
import org.flywaydb.core.internal.resource.StringResource;
import org.flywaydb.core.internal.sqlscript.SqlStatement;
import org.flywaydb.core.internal.sqlscript.SqlStatementIterator;
import org.flywaydb.database.postgresql.PostgreSQLParser;

/**
 * An undo script, split into statements exactly as Flyway splits a migration.
 *
 * <p>Flyway's community edition has no undo, but its PostgreSQL parser is what decides, for the
 * {@code V} scripts, where statements end (dollar quotes, {@code BEGIN ATOMIC} bodies, nested
 * comments) and which statements cannot run in a transaction ({@code DROP INDEX CONCURRENTLY}).
 * Using the same parser for {@code U} scripts means an undo behaves like the migration it reverts.
 * It is an internal Flyway class, so it is used here only, where a Flyway upgrade that changes it
 * shows up as one failing class.
 */
final class UndoScript {

  private static final Configuration PARSER_CONFIGURATION =
      Flyway.configure().placeholderReplacement(false);

  private final ScriptFile file;
  private final List<String> statements;
  private final boolean transactional;

  private UndoScript(ScriptFile file, List<String> statements, boolean transactional) {
    this.file = file;
    this.statements = statements;
    this.transactional = transactional;
  }

  /**
   * Reads and splits {@code file}.
   *
   * @throws RunnerFailure (bad input) when it mixes statements that must and must not run in a
   *     transaction (Flyway refuses the same in a migration)
   */
  static UndoScript read(ScriptFile file) throws IOException {
    String text = Files.readString(file.path(), StandardCharsets.UTF_8);
    List<String> statements = new ArrayList<>();
    boolean inTransaction = false;
    boolean outsideTransaction = false;
    PostgreSQLParser parser = new PostgreSQLParser(PARSER_CONFIGURATION, new ParsingContext());
    try (SqlStatementIterator it = parser.parse(new StringResource(text))) {
      while (it.hasNext()) {
        SqlStatement statement = it.next();
        statements.add(statement.getSql());
        if (statement.canExecuteInTransaction()) {
          inTransaction = true;
        } else {
          outsideTransaction = true;
        }
      }
    }
    if (inTransaction && outsideTransaction) {
      throw RunnerFailure.badInput(
          file.fileName() + " mixes statements that cannot run in a transaction (such as CONCURRENTLY)"
              + " with others; put them in separate versions");
    }
    return new UndoScript(file, List.copyOf(statements), !outsideTransaction);
  }

  ScriptFile file() {
    return file;
  }

  /** Whether the script runs in one transaction (false: each statement on its own, as Flyway does). */
  boolean transactional() {
    return transactional;
  }

  /**
   * Runs the statements and then {@code afterwards} on {@code connection}: in one transaction when
   * the script is transactional, so that the undo and its bookkeeping commit together or not at all.
   */
  void run(Connection connection, SqlWork afterwards) throws SQLException {
    connection.setAutoCommit(!transactional);
    try (Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
      afterwards.run(connection);
      if (transactional) {
        connection.commit();
      }
    } catch (SQLException | RuntimeException e) {
      if (transactional) {
        rollBack(connection, e);
      }
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }

  private static void rollBack(Connection connection, Exception failure) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      failure.addSuppressed(e); // the connection is gone; PostgreSQL rolls back on its own
    }
  }

  /** Database work that runs after the script, in its transaction. */
  @FunctionalInterface
  interface SqlWork {
    void run(Connection connection) throws SQLException;
  }
}
