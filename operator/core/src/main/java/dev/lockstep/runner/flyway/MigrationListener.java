package dev.lockstep.runner.flyway;

import dev.lockstep.runner.RunnerContext;
import dev.lockstep.protocol.RunnerResult.AppliedScript;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

/**
 * Follows Flyway through a migrate: logs each script, times the ones that succeed and remembers the
 * one that failed, through Flyway's public callback API.
 */
public final class MigrationListener implements Callback {

  private final RunnerContext context;
  private final List<AppliedScript> applied = new ArrayList<>();
  private long scriptStarted;
  private String failedScript;

  public MigrationListener(RunnerContext context) {
    this.context = context;
  }

  @Override
  public boolean supports(Event event, Context flywayContext) {
    return event == Event.BEFORE_EACH_MIGRATE
        || event == Event.AFTER_EACH_MIGRATE
        || event == Event.AFTER_EACH_MIGRATE_ERROR;
  }

  @Override
  public boolean canHandleInTransaction(Event event, Context flywayContext) {
    return true; // touches no database
  }

  @Override
  public void handle(Event event, Context flywayContext) {
    MigrationInfo migration = flywayContext.getMigrationInfo();
    String script = migration.getScript();
    switch (event) {
      case BEFORE_EACH_MIGRATE -> {
        scriptStarted = System.nanoTime();
        failedScript = null;
        context.report("applying " + script);
      }
      case AFTER_EACH_MIGRATE -> {
        long millis = (System.nanoTime() - scriptStarted) / 1_000_000;
        // A repeatable (R__) script has no version.
        String version = migration.getVersion() == null ? null : migration.getVersion().getVersion();
        applied.add(new AppliedScript(version, script, millis));
        context.report("applied " + script + " in " + millis + " ms");
      }
      case AFTER_EACH_MIGRATE_ERROR -> failedScript = script;
      default -> throw new IllegalStateException("unexpected Flyway event " + event);
    }
  }

  @Override
  public String getCallbackName() {
    return "lockstep";
  }

  /** Scripts applied so far, over all attempts, in order. */
  public List<AppliedScript> applied() {
    return applied;
  }

  /** The script whose failure ended the last attempt, or null if it failed outside a script. */
  public String failedScript() {
    return failedScript;
  }
}
