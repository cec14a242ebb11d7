package dev.lockstep.runner.flyway;

import dev.lockstep.runner.RunnerContext;
import dev.lockstep.runner.scripts.ScriptDirectory;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.callback.Callback;

/** Builds the Flyway a runner uses: one configuration for migrate and undo, so both see the same history. */
public final class Flyways {

  private Flyways() {}

  /**
   * Flyway on the scripts directory, up to {@code target} (null: the latest version).
   *
   * <ul>
   *   <li>{@code initSql} carries the session settings, so every connection Flyway opens — the one
   *       that runs the scripts too — has the runner's lock_timeout.
   *   <li>{@code postgresql.transactional.lock=false}: Flyway's default transaction-scoped advisory
   *       lock keeps a transaction open, and {@code CREATE INDEX CONCURRENTLY} waits for every open
   *       transaction to end, so it would wait for ever behind Flyway itself.
   *   <li>No placeholder replacement: the resource has no placeholders to give, and a literal
   *       {@code ${...}} in a function body must reach PostgreSQL unchanged.
   *   <li>{@code U} scripts are not migrations to Flyway's community edition (only {@code V} and
   *       {@code R} are) and are not callback names either, so they stay out of its way.
   * </ul>
   */
  public static Flyway create(
      RunnerContext context, ScriptDirectory scripts, MigrationVersion target, Callback... callbacks) {
    return Flyway.configure()
        .configuration(Map.of("flyway.postgresql.transactional.lock", "false"))
        .dataSource(context.credentials().url(), context.credentials().username(), context.credentials().password())
        .initSql(context.session().initSql())
        .locations("filesystem:" + scripts.hostPath())
        .failOnMissingLocations(true)
        .target(target == null ? MigrationVersion.LATEST : target)
        .placeholderReplacement(false)
        .cleanDisabled(true)
        .callbacks(callbacks)
        .load();
  }

  /** The version Flyway reports as current, or null when no versioned migration is applied. */
  public static MigrationVersion currentVersion(Flyway flyway) {
    var current = flyway.info().current();
    return current == null ? null : current.getVersion();
  }

  /** A version as the result JSON carries it: Flyway's text ("1.1"), or null. */
  public static String text(MigrationVersion version) {
    return version == null ? null : version.getVersion();
  }
}
