package dev.lockstep.command;

import dev.lockstep.runner.RunnerInvocation;
import dev.lockstep.runner.RunnerOptions;
import dev.lockstep.runner.scripts.ScriptDirectory;
import dev.lockstep.runner.undo.SchemaUndoer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Job entrypoint: reverts applied versions with their undo scripts. */
@Command(
    name = "undo",
    description = {
      "Reverts every applied version above a version, newest first, with its U<version>__*.sql script,",
      "and removes it from Flyway's history so that a later migrate applies it again.",
      "Exit codes: 0 ok, 1 the database work failed, 2 bad input."
    },
    mixinStandardHelpOptions = true)
public final class UndoCommand implements Callable<Integer> {

  @ParentCommand private Program root;

  @Mixin private RunnerOptions options;

  @Option(names = "--to", paramLabel = "VERSION", description = "Version to go back to (0: undo everything).")
  private String to;

  @Option(
      names = "--scripts",
      paramLabel = "DIR",
      defaultValue = "/lockstep/scripts",
      description = "Directory of V<version>__*.sql and U<version>__*.sql scripts (default: ${DEFAULT-VALUE}).")
  private String scripts;

  @Override
  public Integer call() {
    return RunnerInvocation.run("undo", root.environment(), options, context ->
        new SchemaUndoer(context, ScriptDirectory.open(context.environment(), scripts))
            .undoTo(RunnerOptions.version(to, "--to")));
  }
}
