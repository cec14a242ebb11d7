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
 * The figures of one run of {@code lockstep bench online-safety}: a table for people, then one JSON
 * line with every figure for scripts. Ratios and goals are computed here from the measured figures.
 */
public final class BenchReport {

  /** The longest a backfill batch may hold its rows' locks, by the project's goal. */
  static final long BATCH_GOAL_MILLIS = 100;
  /** The batched backfill keeps at least this share of one UPDATE's rate. */
  static final double RATE_GOAL = 0.5;
  /** The Lockstep way's p99 latency is at most this multiple of the baseline's. */
  static final double P99_GOAL = 1.5;
  /** The Lockstep way's max latency is at most the baseline's plus this. */
  static final long MAX_GOAL_MILLIS = 100;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final BenchSettings settings;
  private final BenchEnvironment environment;
  private final List<BackfillComparison> backfills;
  /** The comparison at the size the phases under load ran at. */
  private final BackfillComparison backfill;
  private final PhaseResult baseline;
  private final PhaseResult naive;
  private final PhaseResult lockstep;

  BenchReport(BenchSettings settings, BenchEnvironment environment, List<BackfillComparison> backfills,
      PhaseResult baseline, PhaseResult naive, PhaseResult lockstep) {
    this.settings = settings;
    this.environment = environment;
    this.backfills = List.copyOf(backfills);
    this.backfill = backfills.get(backfills.size() - 1);
    this.baseline = baseline;
    this.naive = naive;
    this.lockstep = lockstep;
  }

  /** The goals, judged on this run's figures; the backfill's at every size of the sweep. */
  List<Goal> goals() {
    BackfillComparison slowest = backfills.stream().min(java.util.Comparator.comparingDouble(BackfillComparison::rateRatio))
        .orElseThrow();
    long longestAlone = backfills.stream().mapToLong(BackfillComparison::longestBatchMillis).max().orElse(0);
    long longestBatch = Math.max(longestAlone, lockstep.longestBatchMillis() == null ? 0 : lockstep.longestBatchMillis());
    LatencySummary base = baseline.latency();
    LatencySummary way = lockstep.latency();
    String sizes = backfills.size() > 1 ? " (the lowest of " + backfills.size() + " sizes, at " + count(slowest.rows())
        + " rows)" : "";
    return List.of(
        new Goal("backfillAtLeastHalfTheUpdateRate", "batched backfill at least half the rate of one UPDATE",
            slowest.rateRatio() >= RATE_GOAL, "ratio " + ratio(slowest.rateRatio()) + sizes),
        new Goal("everyBatchUnder100Ms", "every backfill batch under " + BATCH_GOAL_MILLIS + " ms",
            longestBatch < BATCH_GOAL_MILLIS,
            "longest " + longestAlone + " ms alone, "
                + (lockstep.longestBatchMillis() == null ? "-" : lockstep.longestBatchMillis() + " ms")
                + " under load"),
        new Goal("lockstepNoFailedRequests", "the Lockstep way: no failed request",
            way.failed() == 0, way.failed() + " failed"),
        new Goal("lockstepP99Within1.5xBaseline", "the Lockstep way: p99 latency at most 1.5 x the baseline's",
            way.p99Millis() <= P99_GOAL * base.p99Millis(),
            millis(way.p99Millis()) + " ms vs 1.5 x " + millis(base.p99Millis()) + " ms"),
        new Goal("lockstepMaxWithinBaselinePlus100Ms", "the Lockstep way: max latency at most baseline max + "
            + MAX_GOAL_MILLIS + " ms", way.maxMillis() <= base.maxMillis() + MAX_GOAL_MILLIS,
            millis(way.maxMillis()) + " ms vs " + millis(base.maxMillis()) + " + " + MAX_GOAL_MILLIS + " ms"));
  }

  /** The table, the goals, notes, and last the JSON line. */
  public void printText(PrintStream out) {
    out.println("lockstep bench online-safety: " + String.join(", ",
        settings.rowSweep().stream().map(rows -> count(rows)).toList()) + " rows, " + environment.server()
        + " (" + environment.database() + "), " + environment.cores() + " cores");
    out.println();
    out.println("Backfill, no load: one UPDATE of the whole table against lockstep backfill, "
        + settings.batching());
    String row = "%12s  %-10s %10s %12s %9s %8s %8s %8s %7s%n";
    out.printf(Locale.ROOT, row, "rows", "", "time", "rows/s", "batches", "p50 ms", "p99 ms", "max ms", "ratio");
    for (BackfillComparison b : backfills) {
      out.printf(Locale.ROOT, row, count(b.rows()), "UPDATE", seconds(b.singleUpdateMillis()),
          count(Math.round(b.singleUpdateRowsPerSecond())), "1", "-", "-", "-", "");
      out.printf(Locale.ROOT, row, "", "backfill", seconds(b.batchedMillis()),
          count(Math.round(b.batchedRowsPerSecond())), count(b.batches()), b.batchP50Millis(), b.batchP99Millis(),
          b.longestBatchMillis(), ratio(b.rateRatio()));
    }
    out.println("  ratio: the batched rate / one UPDATE's rate; p50, p99, max: the backfill's batch times");
    out.println();
    out.println("Online safety: " + settings.threads() + " threads, " + settings.requestsPerSecond()
        + " requests/s (" + LoadRequest.mix() + "), lock timeout " + settings.lockTimeout().toMillis() + " ms");
    out.println("Phases under load at " + count(settings.rows()) + " rows");
    row = "%-10s %8s %8s %9s %7s %8s %8s %9s %9s %8s %8s%n";
    out.printf(Locale.ROOT, row, "phase", "change", "load", "requests", "failed", "p50 ms", "p99 ms", "max ms",
        "p50 x", "p99 x", "max x");
    for (PhaseResult phase : List.of(baseline, naive, lockstep)) {
      LatencySummary l = phase.latency();
      out.printf(Locale.ROOT, row, phase.name(),
          phase.change() == null ? "-" : seconds(phase.change().toMillis()),
          seconds(phase.load().recorded().toMillis()), count(l.requests()), count(l.failed()),
          millis(l.p50Millis()), millis(l.p99Millis()), millis(l.maxMillis()),
          ratio(toBaseline(l.p50Millis(), baseline.latency().p50Millis())),
          ratio(toBaseline(l.p99Millis(), baseline.latency().p99Millis())),
          ratio(toBaseline(l.maxMillis(), baseline.latency().maxMillis())));
    }
    for (PhaseResult phase : List.of(baseline, naive, lockstep)) {
      out.println("  " + phase.name() + ": " + phase.description()
          + (phase.change() == null ? "" : "; " + phase.lockRetries() + " lock retries")
          + (phase.longestBatchMillis() == null ? "" : "; longest backfill batch " + phase.longestBatchMillis() + " ms"));
      for (PhaseResult.CommandLatency command : phase.byCommand()) {
        LatencySummary l = command.latency();
        out.println("    during " + command.command() + ": " + count(l.requests()) + " requests, p50 "
            + millis(l.p50Millis()) + " ms, p99 " + millis(l.p99Millis()) + " ms, max " + millis(l.maxMillis()) + " ms");
      }
      if (phase.change() != null) {
        out.println("    slowest request: " + slowest(phase));
      }
      phase.latency().errors().forEach((error, times) ->
          out.println("    " + count(times) + " x " + error));
    }
    out.println();
    out.println("Goals");
    goals().forEach(goal -> out.println("  " + goal.line()));
    out.println();
    notes().forEach(note -> out.println("note: " + note));
    out.println(json());
  }

  /** What a reader needs to know to trust the figures, or to discount them. */
  List<String> notes() {
    List<String> notes = new ArrayList<>();
    notes.add("latency counts from when each request was due (fixed pace), so a stall counts in every request"
        + " it delayed; a failed request counts with the time it took");
    notes.add("each phase starts from a freshly loaded table; the load warms up "
        + OnlineSafetyBenchmark.WARM_UP.toSeconds() + " s unrecorded, then records "
        + OnlineSafetyBenchmark.LEAD_IN.toSeconds() + " s before the change and "
        + OnlineSafetyBenchmark.TAIL.toSeconds() + " s after it; every request due by then is answered and"
        + " counted, however late");
    int cores = environment.cores();
    if (environment.embedded()) {
      notes.add("the load generator runs in this JVM, on the same " + cores + "-core machine as the embedded"
          + " PostgreSQL: the migration, the database and the load compete for the CPU, and the figures include"
          + " that");
    } else {
      notes.add("the load generator runs in this JVM, on this " + cores + "-core machine: latencies include the"
          + " network to the server");
    }
    double busiest = Math.max(environment.loadAverageAtStart(), environment.loadAverageAtEnd());
    if (busiest >= 0) {
      notes.add(String.format(Locale.ROOT, "this machine's load average was %.1f when the run started and %.1f"
          + " when it ended, on %d cores%s", environment.loadAverageAtStart(), environment.loadAverageAtEnd(),
          cores, busiest > cores ? ": other processes competed for the CPU too" : ""));
    }
    if ("off".equals(environment.synchronousCommit())) {
      notes.add("the server runs with synchronous_commit=off: commits do not wait for the disk");
    }
    return notes;
  }

  /** Every figure, on one line. */
  public String json() {
    ObjectNode root = JSON.createObjectNode();
    root.put("benchmark", "online-safety");
    root.put("server", environment.server());
    root.put("database", environment.database());
    root.put("synchronousCommit", environment.synchronousCommit());
    root.put("cores", environment.cores());
    root.put("loadAverageAtStart", round(environment.loadAverageAtStart()));
    root.put("loadAverageAtEnd", round(environment.loadAverageAtEnd()));
    root.put("rows", settings.rows());
    ArrayNode sweep = root.putArray("rowsSweep");
    settings.rowSweep().forEach(sweep::add);
    root.put("threads", settings.threads());
    root.put("requestsPerSecond", settings.requestsPerSecond());
    root.put("lockTimeoutMs", settings.lockTimeout().toMillis());
    if (settings.batchSize() == null) {
      root.putNull("batchSize");
    } else {
      root.put("batchSize", settings.batchSize());
    }
    root.put("batchTimeMs", settings.batchSize() == null ? settings.batchTime().toMillis() : 0);
    backfill(root.putObject("backfill"), backfill);
    ArrayNode fills = root.putArray("backfillSweep");
    backfills.forEach(b -> backfill(fills.addObject(), b));
    for (PhaseResult phase : List.of(baseline, naive, lockstep)) {
      phase(root.putObject(phase.name()), phase, phase != baseline);
    }
    ObjectNode goals = root.putObject("goals");
    goals().forEach(goal -> goals.put(goal.key(), goal.met()));
    return root.toString();
  }

  private static void backfill(ObjectNode fill, BackfillComparison b) {
    fill.put("rows", b.rows());
    fill.put("singleUpdateMs", round(b.singleUpdateMillis()));
    fill.put("singleUpdateRowsPerSec", Math.round(b.singleUpdateRowsPerSecond()));
    fill.put("batchedMs", b.batchedMillis());
    fill.put("batchedRowsPerSec", Math.round(b.batchedRowsPerSecond()));
    fill.put("rateRatio", round(b.rateRatio()));
    fill.put("batches", b.batches());
    fill.put("batchP50Ms", b.batchP50Millis());
    fill.put("batchP99Ms", b.batchP99Millis());
    fill.put("longestBatchMs", b.longestBatchMillis());
  }

  private void phase(ObjectNode node, PhaseResult phase, boolean ratios) {
    LatencySummary l = phase.latency();
    node.put("loadMs", phase.load().recorded().toMillis());
    if (phase.change() == null) {
      node.putNull("changeMs");
    } else {
      node.put("changeMs", phase.change().toMillis());
    }
    node.put("requests", l.requests());
    node.put("failed", l.failed());
    node.put("p50Ms", round(l.p50Millis()));
    node.put("p99Ms", round(l.p99Millis()));
    node.put("maxMs", round(l.maxMillis()));
    if (ratios) {
      LatencySummary base = baseline.latency();
      node.put("p50Ratio", round(toBaseline(l.p50Millis(), base.p50Millis())));
      node.put("p99Ratio", round(toBaseline(l.p99Millis(), base.p99Millis())));
      node.put("maxRatio", round(toBaseline(l.maxMillis(), base.maxMillis())));
      node.put("lockRetries", phase.lockRetries());
    }
    if (phase.longestBatchMillis() != null) {
      node.put("longestBatchMs", phase.longestBatchMillis());
    }
    if (phase.change() != null) {
      node.put("slowestDueAtMs", phase.slowestDueAt().toMillis());
      node.put("slowestDuring", phase.slowestDuring());
      ArrayNode byCommand = node.putArray("byCommand");
      for (PhaseResult.CommandLatency command : phase.byCommand()) {
        LatencySummary during = command.latency();
        byCommand.addObject().put("command", command.command()).put("requests", during.requests())
            .put("p50Ms", round(during.p50Millis())).put("p99Ms", round(during.p99Millis()))
            .put("maxMs", round(during.maxMillis()));
      }
    }
    if (!l.errors().isEmpty()) {
      ObjectNode errors = node.putObject("errors");
      for (Map.Entry<String, Long> error : l.errors().entrySet()) {
        errors.put(error.getKey(), error.getValue());
      }
    }
  }

  /** When the slowest request of a phase was due, and what the runner was doing then. */
  private static String slowest(PhaseResult phase) {
    double seconds = phase.slowestDueAt().toMillis() / 1000.0;
    String when;
    if (seconds < 0) {
      when = String.format(Locale.ROOT, "due %.1f s before the change started", -seconds);
    } else if (seconds * 1000 > phase.change().toMillis()) {
      when = String.format(Locale.ROOT, "due %.1f s after the change ended", seconds - phase.change().toMillis() / 1000.0);
    } else {
      when = String.format(Locale.ROOT, "due %.1f s into the change", seconds);
    }
    return millis(phase.latency().maxMillis()) + " ms, " + when
        + (phase.slowestDuring() == null ? "" : ", during " + phase.slowestDuring());
  }

  /** {@code value / base}; null when the baseline has nothing to compare with. */
  private static Double toBaseline(double value, double base) {
    return base > 0 ? value / base : null;
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  private static Double round(Double value) {
    return value == null ? null : round(value.doubleValue());
  }

  private static String count(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }

  private static String ratio(Double value) {
    return value == null ? "-" : String.format(Locale.ROOT, "%.2f", value);
  }

  /** Two decimals below 10 ms, one below a second, none above. */
  private static String millis(double value) {
    return String.format(Locale.ROOT, value < 10 ? "%.2f" : value < 1000 ? "%.1f" : "%.0f", value);
  }

  private static String seconds(double millis) {
    return String.format(Locale.ROOT, "%.2f s", millis / 1000);
  }
}
