package dev.lockstep.cli;

import dev.lockstep.bench.SoakBenchmark;
import dev.lockstep.bench.SoakReport;
import dev.lockstep.runner.ContainerEnvironment;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code lockstep bench soak}: migrations under random faults for a bounded time, then the invariants. */
@Command(
    name = "soak",
    mixinStandardHelpOptions = true,
    description = {
      "Runs migrations over several databases in the test world (the real operator, in-process API",
      "server, simulated kubelet, embedded PostgreSQL) for --duration, injecting faults at random:",
      "hard kills of the operator, API errors, timeouts after writes, dropped watches, runner sessions",
      "terminated in PostgreSQL, guard breaches (a fake Prometheus), failing scripts. Then checks that",
      "every migration ended, every database's schema matches its last migration's schemaVersion,",
      "every flag matches status, every breached migration rolled back for its guard and no other",
      "did, and no two runner Jobs were at work against one database at once. Prints the counts,",
      "then one JSON line. Progress goes to stderr.",
      "Exit codes: 0 no invariant violated, 1 a violation or a failed run, 2 bad input."
    })
final class SoakCommand implements Callable<Integer> {

  @ParentCommand BenchCommand bench;

  @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "10m",
      description = "How long migrations are started and faults injected. Default: ${DEFAULT-VALUE}.")
  String duration;

  @Option(names = "--settle", paramLabel = "DURATION", defaultValue = "5m",
      description = "How long the migrations still running then may take to end, with faults off."
          + " Default: ${DEFAULT-VALUE}.")
  String settle;

  @Option(names = "--databases", paramLabel = "N", defaultValue = "4",
      description = "Databases migrated side by side. Default: ${DEFAULT-VALUE}.")
  int databases;

  @Option(names = "--seed", paramLabel = "N",
      description = "Seed of the random choices (faults, their timing, failing scripts). Default: the clock.")
  Long seed;

  @Override
  public Integer call() throws Exception {
    ContainerEnvironment environment = bench.root.environment();
    PrintStream err = environment.err();
    Duration runFor;
    Duration settleFor;
    try {
      runFor = dev.lockstep.api.Durations.parse(duration, "--duration");
      settleFor = dev.lockstep.api.Durations.parse(settle, "--settle");
      if (databases < 1) {
        throw new IllegalArgumentException("--databases is " + databases + "; give at least 1");
      }
    } catch (IllegalArgumentException e) {
      err.println("lockstep bench soak: " + e.getMessage());
      return 2;
    }
    long chosenSeed = seed != null ? seed : System.currentTimeMillis();
    double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    SoakReport report = new SoakBenchmark(databases, runFor, settleFor, chosenSeed, err).run();
    report.printText(environment.out(), loadAtStart,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    return report.violations().isEmpty() ? 0 : 1;
  }
}
