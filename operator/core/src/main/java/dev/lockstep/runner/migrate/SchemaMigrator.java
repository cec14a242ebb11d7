package dev.lockstep.runner.migrate;

import dev.lockstep.protocol.StuckState;
import dev.lockstep.runner.RunnerContext;
import dev.lockstep.runner.RunnerFailure;
import dev.lockstep.runner.SqlErrors;
import dev.lockstep.runner.flyway.Flyways;
import dev.lockstep.runner.flyway.MigrationListener;
import dev.lockstep.runner.flyway.SchemaHistory;
import dev.lockstep.runner.repair.StuckStates;
import dev.lockstep.runner.retry.LockRetriesExhausted;
import dev.lockstep.runner.scripts.ScriptDirectory;
import dev.lockstep.runner.scripts.ScriptFile.Kind;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;

/**
 * {@code lockstep migrate --to V}: Flyway up to V, with lock conflicts retried.
 *
 * <p>Retrying is safe because a failed attempt that is retried left the database as it found it: a
 * transactional script rolls back; a non-transactional one ({@code CREATE INDEX CONCURRENTLY}) that
 * lost a lock conflict can leave an INVALID index, which is dropped, and a failed row in Flyway's
 * history, which is removed. Applied versions are skipped by Flyway, so a retry — or a whole new Job
 * after a crash — carries on where the last one stopped and never applies a script twice.
 *
 * <p>A non-transactional script that fails for any other reason may have committed its first
 * statements: running it again could fail for ever or do them twice. Its failed history row is left
 * in place, the result lists it (with a held Flyway lock and invalid indexes) as {@code stuck}, and
 * every later migrate refuses to start until {@code lockstep repair} has cleared it.
 */
public final class SchemaMigrator {

  private final RunnerContext context;
  private final ScriptDirectory scripts;

  public SchemaMigrator(RunnerContext context, ScriptDirectory scripts) {
    this.context = context;
    this.scripts = scripts;
  }

  public void migrateTo(MigrationVersion target) throws Exception {
    if (scripts.script(Kind.MIGRATION, target).isEmpty()) {
      throw RunnerFailure.badInput(
          "--to " + target + ": no migration script " + Kind.MIGRATION.pattern(target) + " in " + scripts.containerPath());
    }
    MigrationListener listener = new MigrationListener(context);
    Flyway flyway = Flyways.create(context, scripts, target, listener);
    List<InvalidIndexes.Index> invalidToDrop = new ArrayList<>();
    try (Connection connection = context.connections().open()) {
      refuseWhileAMigrationFailedHalfWay(connection);
      warnAboutInvalidIndexes(connection);
      MigrationVersion before = Flyways.currentVersion(flyway);
      context.result().setVersionBefore(Flyways.text(before));
      context.result().setVersionAfter(Flyways.text(before));
      if (before != null && before.compareTo(target) > 0) {
        throw RunnerFailure.databaseWork(
            "the database is at version " + before + ", newer than --to " + target
                + "; migrate never goes back (lockstep undo --to " + target + " does)");
      }
      boolean failed = false;
      try {
        context.lockRetry().run(
            () -> failedScriptOr(listener, "migrate to " + target),
            () -> attempt(flyway, listener, connection, invalidToDrop));
      } catch (LockRetriesExhausted e) {
        failed = true;
        throw RunnerFailure.databaseWork(
            failedScriptOr(listener, "migrate") + " failed: " + SqlErrors.describe(e.lastFailure())
                + "; gave up after " + e.retries() + " lock retries", e);
      } catch (RunnerFailure e) {
        throw e;
      } catch (RuntimeException e) { // Flyway's exceptions are unchecked
        failed = true;
        String script = listener.failedScript();
        throw RunnerFailure.databaseWork(
            (script == null ? "" : script + " failed: ") + SqlErrors.describe(e), e);
      } finally {
        context.result().setScripts(listener.applied());
        dropLeftovers(connection, invalidToDrop);
        if (failed) {
          recordStuckStates(connection); // after the leftovers went: what is left is for a repair
        }
        context.result().setVersionAfter(Flyways.text(currentVersionAfterAll(flyway)));
      }
    }
  }

  /**
   * A failed history row means an earlier attempt stopped half-way through a non-transactional
   * script; Flyway would refuse anyway, and removing the row blindly could apply statements twice.
   */
  private void refuseWhileAMigrationFailedHalfWay(Connection connection) throws SQLException {
    List<StuckState> failed = StuckStates.failedMigrations(connection);
    if (failed.isEmpty()) {
      return;
    }
    context.result().setStuck(StuckStates.detect(connection));
    throw RunnerFailure.databaseWork(failed.get(0).describe()
        + "; nothing was migrated: it needs repair (lockstep repair) before any migration runs");
  }

  /**
   * After a failed migrate: what it left that a retry cannot get past — a failed history row (a
   * half-applied script) or Flyway's lock held elsewhere — with the invalid indexes beside them.
   * Nothing when the failure was an ordinary one that another attempt may get past.
   */
  private void recordStuckStates(Connection connection) {
    try {
      List<StuckState> found = StuckStates.detect(connection);
      if (found.stream().anyMatch(s -> s.getKind() != StuckState.Kind.INVALID_INDEX)) {
        context.result().setStuck(found);
      }
    } catch (SQLException e) {
      context.warn("could not look for a failed history row or a held lock: " + SqlErrors.describe(e));
    }
  }

  /**
   * An invalid index that exists before this Job started may come from an earlier Job that was
   * killed during a concurrent build. The runner cannot tell whose it is, so it does not drop it,
   * but says so: {@code CREATE INDEX CONCURRENTLY IF NOT EXISTS} would keep it, invalid.
   */
  private void warnAboutInvalidIndexes(Connection connection) throws SQLException {
    for (InvalidIndexes.Index index : InvalidIndexes.createdSince(connection, Set.of())) {
      context.warn(
          "the invalid index " + index + " was already there (a killed concurrent build?); the runner leaves it"
              + " alone — drop it with DROP INDEX CONCURRENTLY if a script creates it IF NOT EXISTS");
    }
  }

  /** One Flyway migrate; on failure, puts the database back as it was before, then rethrows. */
  private Void attempt(
      Flyway flyway, MigrationListener listener, Connection connection, List<InvalidIndexes.Index> invalidToDrop)
      throws SQLException {
    for (Iterator<InvalidIndexes.Index> it = invalidToDrop.iterator(); it.hasNext(); ) {
      InvalidIndexes.Index index = it.next();
      InvalidIndexes.drop(connection, index);
      context.report("dropped invalid index " + index);
      it.remove();
    }
    Set<Long> indexesBefore = InvalidIndexes.snapshot(connection);
    try {
      flyway.migrate();
      return null;
    } catch (RuntimeException failure) {
      for (InvalidIndexes.Index index : InvalidIndexes.createdSince(connection, indexesBefore)) {
        context.warn(
            failedScriptOr(listener, "migrate") + " left the invalid index " + index
                + " after its concurrent build failed; the runner drops it");
        invalidToDrop.add(index);
      }
      if (SqlErrors.isLockConflict(failure)) {
        // The statement that lost the conflict did nothing; a retry runs the script again (a statement
        // before it that cannot run twice then fails for real, and its row stays for a repair).
        for (String script : SchemaHistory.removeFailedMigrations(connection)) {
          context.report("removed the failed history row of " + script + " so that it can run again");
        }
      }
      throw failure;
    }
  }

  /** After the last attempt failed: drops what it left, once; says so if that is not possible. */
  private void dropLeftovers(Connection connection, List<InvalidIndexes.Index> invalidToDrop) {
    for (InvalidIndexes.Index index : invalidToDrop) {
      try {
        InvalidIndexes.drop(connection, index);
        context.report("dropped invalid index " + index);
      } catch (SQLException e) {
        context.warn(
            "could not drop the invalid index " + index + ": " + SqlErrors.describe(e)
                + "; drop it with DROP INDEX CONCURRENTLY before the next attempt");
      }
    }
  }

  private MigrationVersion currentVersionAfterAll(Flyway flyway) {
    try {
      return Flyways.currentVersion(flyway);
    } catch (RuntimeException e) {
      context.warn("could not read the schema version after the migration: " + SqlErrors.describe(e));
      return null;
    }
  }

  private static String failedScriptOr(MigrationListener listener, String fallback) {
    return listener.failedScript() == null ? fallback : listener.failedScript();
  }
}
