package dev.lockstep.cli;

import dev.lockstep.cli.kubectl.KubectlCommand;
import dev.lockstep.runner.ContainerEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one program: the operator, the CI commands and the Job entrypoints are subcommands of it, so
 * the operator's image is also the runner's image.
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
public final class Lockstep {

  private final ContainerEnvironment environment;

  public Lockstep(ContainerEnvironment environment) {
    this.environment = environment;
  }

  /** The container this invocation runs in; subcommands read env and files through it. */
  public ContainerEnvironment environment() {
    return environment;
  }

  public static void main(String[] args) {
    System.exit(run(args, ContainerEnvironment.ofProcess()));
  }

  /** Runs one invocation and returns its exit code; the simulated kubelet calls this in-process. */
  public static int run(String[] args, ContainerEnvironment environment) {
    CommandLine commandLine = new CommandLine(new Lockstep(environment));
    commandLine.setOut(new java.io.PrintWriter(environment.out(), true));
    commandLine.setErr(new java.io.PrintWriter(environment.err(), true));
    if (KubectlCommand.PLUGIN_MARK_VALUE.equals(environment.env(KubectlCommand.PLUGIN_MARK))) {
      // Run as kubectl-lockstep: help and errors say "kubectl lockstep status", as the user typed it.
      commandLine.setCommandName("kubectl");
      commandLine.getSubcommands().get("kubectl").getCommandSpec().name("lockstep");
    }
    return commandLine.execute(args);
  }
}
