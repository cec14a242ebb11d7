package dev.lockstep.runner.repair;

import dev.lockstep.sql.Script;
import dev.lockstep.sql.ScriptException;
import dev.lockstep.sql.ScriptSplitter;
import dev.lockstep.protocol.StuckState;
import dev.lockstep.runner.RunnerContext;
import dev.lockstep.runner.RunnerFailure;
import dev.lockstep.runner.SqlErrors;
import dev.lockstep.runner.flyway.Flyways;
import dev.lockstep.runner.migrate.InvalidIndexes;
import dev.lockstep.runner.scripts.ScriptDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.CoreErrorCode;
import org.flywaydb.core.api.ErrorCode;
import org.flywaydb.core.api.output.ValidateOutput;

/**
 * {@code lockstep repair}: clears what a script that failed half-way left, so that it can run again.
 *
 * <p>In this order, and refusing (changing nothing) at the first check that fails:
 *
 * <ol>
 *   <li>Flyway's advisory lock must not be held by another session: the repair names the holder and
 *       leaves it alone (ending a session is a person's call).
 *   <li>Every failed script must be in the scripts directory and pass {@link ScriptLeftovers}: each
 *       of its statements is undone (an invalid index, dropped here) or re-runnable.
 *   <li>Flyway's validate must find no applied script whose checksum, description or type changed and
 *       none that is gone: Flyway's repair would realign those rows and hide the edit.
 * </ol>
 *
 * Then it drops the invalid indexes the failed scripts left and runs Flyway's {@code repair()},
 * which removes the failed history rows. Invalid indexes no failed script names are reported, not
 * dropped: the repair cannot tell whose they are.
 */
public final class SchemaRepairer {

  /** Validate errors that Flyway's repair would paper over by realigning the history. */
  private static final Set<ErrorCode> HIDDEN_BY_REPAIR = Set.of(
      CoreErrorCode.CHECKSUM_MISMATCH, CoreErrorCode.DESCRIPTION_MISMATCH, CoreErrorCode.TYPE_MISMATCH,
      CoreErrorCode.APPLIED_VERSIONED_MIGRATION_NOT_RESOLVED, CoreErrorCode.APPLIED_REPEATABLE_MIGRATION_NOT_RESOLVED);

  private final RunnerContext context;
  private final ScriptDirectory scripts;

  public SchemaRepairer(RunnerContext context, ScriptDirectory scripts) {
    this.context = context;
    this.scripts = scripts;
  }

  public void repair() throws Exception {
    Flyway flyway = Flyways.create(context, scripts, null);
    try (Connection connection = context.connections().open()) {
      List<StuckState> stuck = StuckStates.detect(connection);
      context.result().setStuck(stuck);
      for (StuckState lock : ofKind(stuck, StuckState.Kind.HELD_LOCK)) {
        throw RunnerFailure.databaseWork(lock.describe() + "; nothing was repaired: wait for that session to end,"
            + " or end it (SELECT pg_terminate_backend(" + lock.getPid() + ")) if it is stale, then repair again");
      }
      String before = Flyways.text(Flyways.currentVersion(flyway));
      context.result().setVersionBefore(before);
      context.result().setVersionAfter(before);
      List<StuckState> failed = ofKind(stuck, StuckState.Kind.FAILED_MIGRATION);
      List<InvalidIndexes.Index> toDrop = new ArrayList<>();
      for (StuckState row : failed) {
        ScriptLeftovers.Verdict verdict = ScriptLeftovers.judge(connection, script(connection, row.getScript()));
        if (!verdict.safe()) {
          throw RunnerFailure.databaseWork("cannot repair " + row.getScript() + ": " + String.join("; ", verdict.refusals())
              + "; nothing was repaired");
        }
        toDrop.addAll(verdict.invalidToDrop());
      }
      refuseWhatRepairWouldHide(flyway);
      for (InvalidIndexes.Index index : toDrop) {
        InvalidIndexes.drop(connection, index);
        context.report("dropped the invalid index " + index + " the failed script left");
      }
      warnAboutOtherInvalidIndexes(stuck, toDrop);
      if (failed.isEmpty()) {
        context.report("no failed migration in flyway_schema_history: nothing to repair");
        return;
      }
      flyway.repair();
      if (!StuckStates.failedMigrations(connection).isEmpty()) {
        throw RunnerFailure.databaseWork("Flyway's repair left a failed row in flyway_schema_history");
      }
      for (StuckState row : failed) {
        context.report("removed the failed history row of " + row.getScript() + " (version " + row.getVersion()
            + "); the script runs again from its first statement on the next migrate");
      }
    }
  }

  private void refuseWhatRepairWouldHide(Flyway flyway) {
    List<String> hidden = new ArrayList<>();
    for (ValidateOutput invalid : flyway.validateWithResult().invalidMigrations) {
      if (invalid.errorDetails != null && HIDDEN_BY_REPAIR.contains(invalid.errorDetails.errorCode)) {
        hidden.add(SqlErrors.oneLine(invalid.errorDetails.errorMessage));
      }
    }
    if (!hidden.isEmpty()) {
      throw RunnerFailure.databaseWork("Flyway's repair would realign applied scripts and hide that they changed: "
          + String.join("; ", hidden) + "; restore the applied scripts as they were, then repair again");
    }
  }

  private void warnAboutOtherInvalidIndexes(List<StuckState> stuck, List<InvalidIndexes.Index> dropped) {
    for (StuckState index : ofKind(stuck, StuckState.Kind.INVALID_INDEX)) {
      boolean ours = dropped.stream().anyMatch(d -> (d.schema() + "." + d.name()).equals(index.getIndex()));
      if (!ours) {
        context.warn("the invalid index " + index.getIndex() + " on " + index.getTable() + " is not from a failed"
            + " script, so the repair leaves it; drop it with DROP INDEX CONCURRENTLY if nothing is building it");
      }
    }
  }

  /** The failed script as Flyway splits it; refused when it is not in the scripts directory. */
  private Script script(Connection connection, String name) throws SQLException {
    Path file = scripts.hostPath().resolve(name).normalize();
    if (!file.startsWith(scripts.hostPath()) || !Files.isRegularFile(file)) {
      throw RunnerFailure.databaseWork("cannot repair " + name + ": it is not in " + scripts.containerPath()
          + ", so the repair cannot tell what it did; nothing was repaired");
    }
    try {
      Path conf = file.resolveSibling(file.getFileName() + ".conf");
      String configuration = Files.isRegularFile(conf) ? Files.readString(conf, StandardCharsets.UTF_8) : null;
      int major = connection.getMetaData().getDatabaseMajorVersion();
      return new ScriptSplitter(major).split(name, Files.readString(file, StandardCharsets.UTF_8), configuration);
    } catch (IOException | ScriptException e) {
      throw RunnerFailure.databaseWork("cannot repair " + name + ": could not read it (" + SqlErrors.oneLine(
          e.getMessage()) + "); nothing was repaired");
    }
  }

  private static List<StuckState> ofKind(List<StuckState> stuck, StuckState.Kind kind) {
    return stuck.stream().filter(s -> s.getKind() == kind).toList();
  }
}
