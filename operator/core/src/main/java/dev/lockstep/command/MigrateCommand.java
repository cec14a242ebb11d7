package dev.lockstep.command;

import dev.lockstep.runner.RunnerInvocation;
import dev.lockstep.runner.RunnerOptions;
import dev.lockstep.runner.migrate.SchemaMigrator;
import dev.lockstep.runner.scripts.ScriptDirectory;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Job entrypoint: applies the Flyway scripts up to a version. */
@Command(
    name = "migrate",
    description = {
      "Applies the Flyway scripts of the scripts directory up to a version (run by the operator in a Job).",
      "Connects with $LOCKSTEP_DB_URL, $LOCKSTEP_DB_USERNAME and $LOCKSTEP_DB_PASSWORD.",
      "Exit codes: 0 ok, 1 the database work failed, 2 bad input."
    },
    mixinStandardHelpOptions = true)
public final class MigrateCommand implements Callable<Integer> {

  @ParentCommand private Program root;

  @Mixin private RunnerOptions options;

  @Option(names = "--to", paramLabel = "VERSION", description = "Version to migrate to (a V<VERSION>__*.sql script).")
  private String to;

  @Option(
      names = "--scripts",
      paramLabel = "DIR",
      defaultValue = "/lockstep/scripts",
      description = "Directory of V<version>__*.sql and U<version>__*.sql scripts (default: ${DEFAULT-VALUE}).")
  private String scripts;

  @Override
  public Integer call() {
    return RunnerInvocation.run("migrate", root.environment(), options, context ->
        new SchemaMigrator(context, ScriptDirectory.open(context.environment(), scripts))
            .migrateTo(RunnerOptions.version(to, "--to")));
  }
}
