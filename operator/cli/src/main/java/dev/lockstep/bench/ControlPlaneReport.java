package dev.lockstep.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of {@code lockstep bench control-plane}: one row per run of the sweep, the API
 * requests per migration by verb and resource, PASS/MISS goals, and last one JSON line.
 */
public final class ControlPlaneReport {

  static final double REACTION_GOAL_MILLIS = 100;
  static final long HEAP_GOAL_BYTES = 256L * 1024 * 1024;
  /** Growth in requests (and CPU) per migration from the smallest to the largest run still called flat. */
  static final double FLAT_GOAL = 1.25;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<ControlPlaneRun> runs;
  private final int cores;
  private final double loadAverageAtStart;
  private final double loadAverageAtEnd;

  public ControlPlaneReport(List<ControlPlaneRun> runs, int cores, double loadAverageAtStart, double loadAverageAtEnd) {
    this.runs = List.copyOf(runs);
    this.cores = cores;
    this.loadAverageAtStart = loadAverageAtStart;
    this.loadAverageAtEnd = loadAverageAtEnd;
  }

  /** The goals, judged on every run: the worst reaction, the heap of the largest run, the growth. */
  List<Goal> goals() {
    ControlPlaneRun largest = runs.get(runs.size() - 1);
    ControlPlaneRun slowest = runs.stream().max(java.util.Comparator.comparingDouble(ControlPlaneRun::reactionP99Millis))
        .orElseThrow();
    List<Goal> goals = new ArrayList<>();
    goals.add(new Goal("allSucceeded", "every migration succeeded",
        runs.stream().allMatch(r -> r.succeeded() == r.migrations()),
        runs.stream().map(r -> r.succeeded() + "/" + r.migrations()).toList().toString()));
    goals.add(new Goal("reactionP99AtMost100Ms", "reaction p99 at most " + (long) REACTION_GOAL_MILLIS + " ms",
        slowest.reactionP99Millis() <= REACTION_GOAL_MILLIS,
        millis(slowest.reactionP99Millis()) + " ms at " + slowest.migrations() + " migrations"));
    goals.add(new Goal("heapAtMost256MiB", "heap growth at most 256 MiB",
        largest.heapGrowthBytes() <= HEAP_GOAL_BYTES,
        mib(largest.heapGrowthBytes()) + " MiB at " + largest.migrations() + " migrations over " + largest.databases()
            + " databases"));
    if (runs.size() > 1) {
      ControlPlaneRun smallest = runs.get(0);
      double requests = largest.requestsPerMigration() / smallest.requestsPerMigration();
      double cpu = largest.cpuMillisPerMigration() / Math.max(0.001, smallest.cpuMillisPerMigration());
      goals.add(new Goal("costPerMigrationFlat", "API requests and CPU per migration flat as migrations grow (at most "
          + FLAT_GOAL + "x)", requests <= FLAT_GOAL && cpu <= FLAT_GOAL,
          String.format(Locale.ROOT, "requests %.1f -> %.1f (%.2fx), CPU %.1f -> %.1f ms (%.2fx), %d -> %d migrations",
              smallest.requestsPerMigration(), largest.requestsPerMigration(), requests,
              smallest.cpuMillisPerMigration(), largest.cpuMillisPerMigration(), cpu,
              smallest.migrations(), largest.migrations())));
    }
    return goals;
  }

  public void printText(PrintStream out) {
    out.println("lockstep bench control-plane: " + runs.get(0).steps() + " migrate steps a migration, Jobs that"
        + " complete at once, " + cores + " cores");
    out.println();
    String row = "%10s %9s %9s %9s %9s %9s %8s %9s %11s %9s %10s%n";
    out.printf(Locale.ROOT, row, "migrations", "databases", "react p50", "react p99", "react max", "steps/s",
        "wall s", "requests", "req/migr.", "heap MiB", "CPU ms/mig");
    for (ControlPlaneRun r : runs) {
      out.printf(Locale.ROOT, row, r.migrations(), r.databases(), millis(r.reactionP50Millis()),
          millis(r.reactionP99Millis()), millis(r.reactionMaxMillis()), String.format(Locale.ROOT, "%.1f",
              r.stepsPerSecond()), String.format(Locale.ROOT, "%.1f", r.wallMillis() / 1000.0), r.totalRequests(),
          String.format(Locale.ROOT, "%.1f", r.requestsPerMigration()), mib(r.heapGrowthBytes()),
          String.format(Locale.ROOT, "%.1f", r.cpuMillisPerMigration()));
    }
    ControlPlaneRun largest = runs.get(runs.size() - 1);
    out.println();
    out.println("API requests per migration at " + largest.migrations() + " migrations, by verb and resource");
    largest.requests().entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> out.printf(Locale.ROOT, "  %8.2f  %s%n", (double) e.getValue() / largest.migrations(), e.getKey()));
    out.println();
    out.println("Goals");
    goals().forEach(goal -> out.println("  " + goal.line()));
    out.println();
    out.println("note: reaction = from a step's Job seen Complete to the next step's Job seen created (or the"
        + " migration seen Succeeded), both through the benchmark's own watches");
    out.println("note: heap = the process's heap after a full GC at the end, less the same before the operator"
        + " started: the operator's caches and the API server's store of what it created; CPU = the whole process"
        + " (operator, in-process API server, simulated kubelet)");
    if (loadAverageAtStart >= 0) {
      out.println(String.format(Locale.ROOT, "note: this machine's load average was %.1f when the run started and"
          + " %.1f when it ended, on %d cores", loadAverageAtStart, loadAverageAtEnd, cores));
    }
    out.println(json());
  }

  public String json() {
    ObjectNode root = JSON.createObjectNode();
    root.put("benchmark", "control-plane");
    root.put("cores", cores);
    root.put("loadAverageAtStart", round(loadAverageAtStart));
    root.put("loadAverageAtEnd", round(loadAverageAtEnd));
    root.put("stepsPerMigration", runs.get(0).steps());
    ArrayNode all = root.putArray("runs");
    for (ControlPlaneRun r : runs) {
      ObjectNode run = all.addObject();
      run.put("migrations", r.migrations());
      run.put("databases", r.databases());
      run.put("succeeded", r.succeeded());
      run.put("reactions", r.reactions());
      run.put("reactionP50Ms", round(r.reactionP50Millis()));
      run.put("reactionP99Ms", round(r.reactionP99Millis()));
      run.put("reactionMaxMs", round(r.reactionMaxMillis()));
      run.put("wallMs", r.wallMillis());
      run.put("stepsPerSec", round(r.stepsPerSecond()));
      run.put("requests", r.totalRequests());
      run.put("requestsPerMigration", round(r.requestsPerMigration()));
      ObjectNode byKind = run.putObject("requestsByVerbAndResource");
      r.requests().forEach(byKind::put);
      run.put("heapGrowthBytes", r.heapGrowthBytes());
      run.put("cpuMs", r.cpuMillis());
      run.put("cpuMsPerMigration", round(r.cpuMillisPerMigration()));
    }
    ObjectNode goals = root.putObject("goals");
    goals().forEach(goal -> goals.put(goal.key(), goal.met()));
    return root.toString();
  }

  private static String millis(double value) {
    return String.format(Locale.ROOT, value < 10 ? "%.2f" : "%.1f", value);
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f", bytes / 1024.0 / 1024.0);
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
