package dev.lockstep.cli;

import dev.lockstep.bench.BenchmarkFailure;
import dev.lockstep.bench.ControlPlaneBenchmark;
import dev.lockstep.bench.ControlPlaneReport;
import dev.lockstep.bench.ControlPlaneRun;
import dev.lockstep.runner.ContainerEnvironment;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code lockstep bench control-plane}: the operator's reaction time and cost as migrations grow. */
@Command(
    name = "control-plane",
    mixinStandardHelpOptions = true,
    description = {
      "Measures the operator itself: N SchemaMigrations of 4 migrate steps over M databases, in the",
      "test world (in-process API server, simulated kubelet), with a stand-in runner whose Jobs",
      "complete as soon as they start. Prints the reaction latency (a Job seen complete -> the next",
      "step's Job seen created), steps/s, API requests per migration by verb and resource, heap",
      "growth after a full GC and CPU time; PASS/MISS goals; last one JSON line.",
      "Progress goes to stderr; the figures to stdout.",
      "Exit codes: 0 it ran (whatever the figures), 1 a run failed, 2 bad input."
    })
final class ControlPlaneCommand implements Callable<Integer> {

  @ParentCommand BenchCommand bench;

  @Option(names = "--migrations", paramLabel = "N", defaultValue = "500",
      description = "SchemaMigrations to run. Default: ${DEFAULT-VALUE}.")
  int migrations;

  @Option(names = "--databases", paramLabel = "M", defaultValue = "100",
      description = "Databases they are spread over (migrations of one database run one after another)."
          + " Default: ${DEFAULT-VALUE}.")
  int databases;

  @Option(names = "--sweep", paramLabel = "N,N...",
      description = "Several numbers of migrations, each run in a fresh world (e.g. 100,500,1000); replaces"
          + " --migrations.")
  String sweep;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "10",
      description = "The operator's --threads. Default: ${DEFAULT-VALUE}.")
  int threads;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30m",
      description = "Longest a run may take. Default: ${DEFAULT-VALUE}.")
  String timeout;

  @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text",
      description = "text (the table, then the JSON line) or json (the JSON line only). Default: ${DEFAULT-VALUE}.")
  String output;

  @Override
  public Integer call() throws InterruptedException {
    ContainerEnvironment environment = bench.root.environment();
    PrintStream err = environment.err();
    List<Integer> sizes;
    Duration limit;
    try {
      if (!output.equals("text") && !output.equals("json")) {
        throw new IllegalArgumentException("--output is \"" + output + "\"; use text or json");
      }
      sizes = sweep == null ? List.of(migrations) : sizes(sweep);
      if (sizes.stream().anyMatch(n -> n < 1)) {
        throw new IllegalArgumentException("--migrations must be at least 1");
      }
      if (databases < 1) {
        throw new IllegalArgumentException("--databases is " + databases + "; give at least 1");
      }
      if (threads < 1) {
        throw new IllegalArgumentException("--threads is " + threads + "; give at least 1");
      }
      limit = dev.lockstep.api.Durations.parse(timeout, "--timeout");
    } catch (IllegalArgumentException e) {
      err.println("lockstep bench control-plane: " + e.getMessage());
      return 2;
    }
    double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    List<ControlPlaneRun> runs = new ArrayList<>();
    try {
      ControlPlaneBenchmark benchmark = new ControlPlaneBenchmark(threads, limit, err);
      for (int n : sizes) {
        runs.add(benchmark.run(n, Math.min(databases, n)));
      }
    } catch (BenchmarkFailure e) {
      err.println("lockstep bench control-plane: " + e.getMessage());
      return 1;
    }
    ControlPlaneReport report = new ControlPlaneReport(runs, Runtime.getRuntime().availableProcessors(), loadAtStart,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    if (output.equals("json")) {
      environment.out().println(report.json());
    } else {
      report.printText(environment.out());
    }
    return 0;
  }

  private static List<Integer> sizes(String text) {
    List<Integer> sizes = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      try {
        sizes.add(Integer.parseInt(part.strip()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--sweep is \"" + text + "\"; give numbers of migrations separated by"
            + " commas, such as 100,500,1000");
      }
    }
    return sizes.stream().distinct().sorted().toList();
  }
}
