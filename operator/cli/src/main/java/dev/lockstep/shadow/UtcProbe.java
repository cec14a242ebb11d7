package dev.lockstep.shadow;

import dev.lockstep.shadow.Catalog;
import dev.lockstep.shadow.ShadowSession;

import dev.lockstep.lint.ddl.AlterAction;
import dev.lockstep.lint.ddl.Ddl;
import dev.lockstep.lint.ddl.DdlParser;
import dev.lockstep.sql.SqlStatement;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a statement whose effect may depend on the session time zone once more, in UTC, inside the
 * observed transaction. The shadow's sessions run in {@link ShadowDatabase#TIME_ZONE}; production may
 * run in UTC or in any other zone, so where the two differ the verdict depends on the zone.
 */
final class UtcProbe {

  private UtcProbe() {}

  /**
   * A column type change: PostgreSQL 12+ decides whether a timestamp/timestamptz change rewrites the
   * table by the session time zone, and a USING expression may depend on it too.
   */
  static boolean mayDependOnTimeZone(SqlStatement statement) {
    return DdlParser.parse(statement.tokens()) instanceof Ddl.AlterTable alter
        && alter.actions().stream().anyMatch(action -> action instanceof AlterAction.AlterColumnType);
  }

  /**
   * The tables the statement rewrites when the session time zone is UTC: run under a savepoint with
   * {@code SET LOCAL TimeZone = 'UTC'} and rolled back to it, which also undoes the setting and
   * releases the locks it took; null when it fails there (the run in the shadow's zone reports it).
   */
  static List<String> rewrittenInUtc(Connection main, SqlStatement statement, Map<Long, Long> filesBefore,
      Map<Long, Long> filesBeforeScript, Map<Long, String> names) throws SQLException {
    Savepoint savepoint = main.setSavepoint();
    try (Statement jdbc = main.createStatement()) {
      jdbc.execute("SET LOCAL TimeZone = 'UTC'");
      jdbc.execute(statement.sql());
      Map<Long, String> namesInUtc = new HashMap<>(names);
      namesInUtc.putAll(Catalog.names(main));
      return ShadowSession.rewritten(filesBefore, Catalog.storageFiles(main), filesBeforeScript, namesInUtc);
    } catch (SQLException e) {
      return null;
    } finally {
      main.rollback(savepoint);
    }
  }
}
