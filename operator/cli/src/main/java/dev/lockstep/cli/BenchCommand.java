package dev.lockstep.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code lockstep bench <benchmark>}: benchmarks that print figures measured in one run. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks: each prints a table of figures measured in one run, then one JSON line of them.",
    subcommands = {OnlineSafetyCommand.class, ControlPlaneCommand.class, SoakCommand.class})
final class BenchCommand {

  @ParentCommand Lockstep root;
}
