package dev.lockstep.command;

import dev.lockstep.runner.ContainerEnvironment;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The operator image's program: the controller and the Job entrypoints are subcommands of it, so the
 * operator's image is also the runner's image. The command-line tool adds lint, rehearse and bench.
 */
@Command(
    name = "lockstep",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Moves a database schema and feature flags forward in lockstep (operator and Job entrypoints).",
    subcommands = {
      CommandLine.HelpCommand.class,
      OperatorCommand.class,
      MigrateCommand.class,
      UndoCommand.class,
      RepairCommand.class,
      BackfillCommand.class,
      InspectCommand.class,
    })
public final class LockstepCommand implements Program {

  private final ContainerEnvironment environment;

  public LockstepCommand(ContainerEnvironment environment) {
    this.environment = environment;
  }

  @Override
  public ContainerEnvironment environment() {
    return environment;
  }

  public static void main(String[] args) {
    ContainerEnvironment environment = ContainerEnvironment.ofProcess();
    int exitCode = run(args, environment);
    if (environment.termination().requested()) {
      // SIGTERM began the JVM's shutdown, and System.exit would wait for it for ever: the result is
      // written, so end now with the command's own exit code (0 when it finished within the grace period).
      Runtime.getRuntime().halt(exitCode);
    }
    System.exit(exitCode);
  }

  /** Runs one invocation and returns its exit code; the simulated kubelet calls this in-process. */
  public static int run(String[] args, ContainerEnvironment environment) {
    return execute(new CommandLine(new LockstepCommand(environment)), args, environment);
  }

  /** Runs {@code commandLine} with its output and errors going to {@code environment}'s streams. */
  public static int execute(CommandLine commandLine, String[] args, ContainerEnvironment environment) {
    commandLine.setOut(new PrintWriter(environment.out(), true));
    commandLine.setErr(new PrintWriter(environment.err(), true));
    return commandLine.execute(args);
  }
}
