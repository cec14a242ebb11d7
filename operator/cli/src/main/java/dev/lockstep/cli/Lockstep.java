package dev.lockstep.cli;

import dev.lockstep.command.BackfillCommand;
import dev.lockstep.command.LockstepCommand;
import dev.lockstep.command.MigrateCommand;
import dev.lockstep.command.OperatorCommand;
import dev.lockstep.command.Program;
import dev.lockstep.command.UndoCommand;
import dev.lockstep.command.VersionProvider;
import dev.lockstep.cli.kubectl.KubectlCommand;
import dev.lockstep.runner.ContainerEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The all-in-one command-line tool for CI and laptops: the operator image's program ({@link
 * LockstepCommand}: the controller and the Job entrypoints) plus lint, rehearse and bench.
 */
@Command(
    name = "lockstep",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Moves a database schema and feature flags forward in lockstep.",
    subcommands = {
      CommandLine.HelpCommand.class,
      OperatorCommand.class,
      RehearseCommand.class,
      LintCommand.class,
      MigrateCommand.class,
      UndoCommand.class,
      BackfillCommand.class,
      BenchCommand.class,
      KubectlCommand.class,
    })
public final class Lockstep implements Program {

  private final ContainerEnvironment environment;

  public Lockstep(ContainerEnvironment environment) {
    this.environment = environment;
  }

  @Override
  public ContainerEnvironment environment() {
    return environment;
  }

  public static void main(String[] args) {
    System.exit(run(args, ContainerEnvironment.ofProcess()));
  }

  /** Runs one invocation and returns its exit code. */
  public static int run(String[] args, ContainerEnvironment environment) {
    CommandLine commandLine = new CommandLine(new Lockstep(environment));
    if (KubectlCommand.PLUGIN_MARK_VALUE.equals(environment.env(KubectlCommand.PLUGIN_MARK))) {
      // Run as kubectl-lockstep: help and errors say "kubectl lockstep status", as the user typed it.
      commandLine.setCommandName("kubectl");
      commandLine.getSubcommands().get("kubectl").getCommandSpec().name("lockstep");
    }
    return LockstepCommand.execute(commandLine, args, environment);
  }
}
