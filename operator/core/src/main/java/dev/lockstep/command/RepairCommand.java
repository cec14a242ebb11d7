package dev.lockstep.command;

import dev.lockstep.runner.RunnerInvocation;
import dev.lockstep.runner.RunnerOptions;
import dev.lockstep.runner.repair.SchemaRepairer;
import dev.lockstep.runner.scripts.ScriptDirectory;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Job entrypoint: clears a script that failed half-way, after checking it can run again. */
@Command(
    name = "repair",
    description = {
      "Clears what a non-transactional script that failed half-way left (run by the operator in a Job when",
      "a SchemaMigration is annotated lockstep.dev/repair=true): refuses while Flyway's lock is held, checks",
      "that each statement of the failed script is undone or re-runnable, drops the invalid indexes it left",
      "and runs Flyway's repair, which removes the failed history row.",
      "Exit codes: 0 ok, 1 the database work failed or the repair refused, 2 bad input."
    },
    mixinStandardHelpOptions = true)
public final class RepairCommand implements Callable<Integer> {

  @ParentCommand private Program root;

  @Mixin private RunnerOptions options;

  @Option(
      names = "--scripts",
      paramLabel = "DIR",
      defaultValue = "/lockstep/scripts",
      description = "Directory of V<version>__*.sql and U<version>__*.sql scripts (default: ${DEFAULT-VALUE}).")
  private String scripts;

  @Override
  public Integer call() {
    return RunnerInvocation.run("repair", root.environment(), options, context ->
        new SchemaRepairer(context, ScriptDirectory.open(context.environment(), scripts)).repair());
  }
}
