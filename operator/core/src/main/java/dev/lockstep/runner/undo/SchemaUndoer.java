package dev.lockstep.runner.undo;

import dev.lockstep.protocol.StuckState;
import dev.lockstep.runner.RunnerContext;
import dev.lockstep.runner.repair.StuckStates;
import dev.lockstep.runner.RunnerFailure;
import dev.lockstep.protocol.RunnerResult.AppliedScript;
import dev.lockstep.runner.SqlErrors;
import dev.lockstep.runner.flyway.Flyways;
import dev.lockstep.runner.flyway.SchemaHistory;
import dev.lockstep.runner.retry.LockRetriesExhausted;
import dev.lockstep.runner.scripts.ScriptDirectory;
import dev.lockstep.runner.scripts.ScriptFile;
import dev.lockstep.runner.scripts.ScriptFile.Kind;
import java.io.IOException;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;

/**
 * {@code lockstep undo --to V}: reverts every applied version above V, newest first, with its
 * {@code U<version>__*.sql} script.
 *
 * <p>Each version is undone in one transaction that also deletes the version's row from Flyway's
 * history, so the version is pending again (a later migrate re-applies it, and Flyway's validation
 * has nothing to object to: a pending version is not a mismatch). A crash between two versions leaves
 * a consistent database at the version in between; running undo again carries on from there.
 */
public final class SchemaUndoer {

  private final RunnerContext context;
  private final ScriptDirectory scripts;

  public SchemaUndoer(RunnerContext context, ScriptDirectory scripts) {
    this.context = context;
    this.scripts = scripts;
  }

  public void undoTo(MigrationVersion target) throws Exception {
    Flyway flyway = Flyways.create(context, scripts, null);
    try (Connection connection = context.connections().open()) {
      List<StuckState> failed = StuckStates.failedMigrations(connection);
      if (!failed.isEmpty()) {
        // Undo scripts assume whole versions; a half-applied one needs a person's repair first.
        context.result().setStuck(StuckStates.detect(connection));
        throw RunnerFailure.databaseWork(failed.get(0).describe()
            + "; nothing was undone: it needs repair (lockstep repair) before any undo runs");
      }
      String before = Flyways.text(Flyways.currentVersion(flyway));
      context.result().setVersionBefore(before);
      context.result().setVersionAfter(before);
      List<MigrationInfo> toUndo = appliedAbove(flyway, target);
      List<UndoScript> undoScripts = undoScriptsFor(toUndo);
      try {
        for (int i = 0; i < toUndo.size(); i++) {
          undo(connection, toUndo.get(i), undoScripts.get(i));
        }
      } finally {
        context.result().setVersionAfter(Flyways.text(Flyways.currentVersion(flyway)));
      }
    }
  }

  /** The applied versions above {@code target}, newest first. */
  private static List<MigrationInfo> appliedAbove(Flyway flyway, MigrationVersion target) {
    return Arrays.stream(flyway.info().applied())
        .filter(m -> m.getVersion() != null && m.getVersion().compareTo(target) > 0)
        .sorted(Comparator.comparing(MigrationInfo::getVersion).reversed())
        .toList();
  }

  /**
   * The undo script of each version, all read before anything runs: a version without one would
   * leave the rollback stuck half-way, so that is an error up front, naming every such version.
   */
  private List<UndoScript> undoScriptsFor(List<MigrationInfo> toUndo) throws IOException {
    List<String> missing = new ArrayList<>();
    List<UndoScript> found = new ArrayList<>();
    for (MigrationInfo migration : toUndo) {
      Optional<ScriptFile> file = scripts.script(Kind.UNDO, migration.getVersion());
      if (file.isEmpty()) {
        missing.add("no undo script " + Kind.UNDO.pattern(migration.getVersion()) + " for version " + migration.getVersion());
      } else {
        found.add(UndoScript.read(file.get()));
      }
    }
    if (!missing.isEmpty()) {
      throw RunnerFailure.databaseWork(String.join("; ", missing) + " in " + scripts.containerPath() + "; nothing was undone");
    }
    return found;
  }

  private void undo(Connection connection, MigrationInfo migration, UndoScript script) throws Exception {
    String fileName = script.file().fileName();
    context.report("undoing version " + migration.getVersion() + " with " + fileName);
    long started = System.nanoTime();
    try {
      context.lockRetry().run(fileName, () -> {
        script.run(connection, c -> SchemaHistory.forget(c, migration.getInstalledRank()));
        return null;
      });
    } catch (LockRetriesExhausted e) {
      throw RunnerFailure.databaseWork(
          fileName + " failed: " + SqlErrors.describe(e.lastFailure()) + "; gave up after " + e.retries() + " lock retries", e);
    } catch (java.sql.SQLException e) {
      throw RunnerFailure.databaseWork(fileName + " failed: " + SqlErrors.describe(e), e);
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    context.result().getScripts().add(new AppliedScript(migration.getVersion().getVersion(), fileName, millis));
    context.report("undone version " + migration.getVersion() + " in " + millis + " ms");
  }
}
