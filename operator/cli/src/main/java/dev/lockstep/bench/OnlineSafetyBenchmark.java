package dev.lockstep.bench;

import dev.lockstep.protocol.RunnerResult;
import dev.lockstep.world.database.DatabaseLogin;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * {@code lockstep bench online-safety}: what a schema change costs the application that uses the
 * table while it runs, applied the naive way and the Lockstep way, against a baseline with no
 * change; and the batched backfill's speed against one {@code UPDATE} of the whole table.
 *
 * <p>Every phase starts from a freshly created and loaded table, so that no phase inherits another's
 * dead rows, indexes or statistics. The changes go through the runner's own {@code migrate} and
 * {@code backfill}, exactly as the operator's Jobs would run them.
 *
 * <p>The phases run in this order: the two backfills (no load) at each size of the {@code --rows}
 * sweep, then at the largest size naive, Lockstep, baseline. The
 * baseline comes last so that its load can run as long as the longer of the two others: the
 * largest of more samples tends to be larger, and the comparison of maxima should be fair.
 */
public final class OnlineSafetyBenchmark {

  /** Load before recording starts: connections made, code compiled, caches warm. */
  static final Duration WARM_UP = Duration.ofSeconds(1);
  /** Recorded load before the change starts. */
  static final Duration LEAD_IN = Duration.ofSeconds(1);
  /** Recorded load after the change ends: the queue it caused drains. */
  static final Duration TAIL = Duration.ofSeconds(2);

  /** Applies a phase's change while the load runs; returns the results of the runner's commands. */
  @FunctionalInterface
  private interface Change {
    List<RunnerResult> apply() throws InterruptedException;
  }

  private final BenchSettings settings;
  private final DatabaseLogin server;
  private final RunnerEntrypoint runner;
  private final PrintStream log;

  /**
   * @param server where to work; the benchmark creates, uses and drops the schema
   *     {@value BenchSchema#NAME} there
   * @param log where progress goes, line by line
   */
  public OnlineSafetyBenchmark(BenchSettings settings, DatabaseLogin server, RunnerEntrypoint runner, PrintStream log) {
    this.settings = settings;
    this.server = server;
    this.runner = runner;
    this.log = log;
  }

  /**
   * Runs every phase.
   *
   * @param database how the report names the server: {@code embedded} or {@code external}
   * @throws BenchmarkFailure when a phase cannot complete; the schema is dropped all the same
   */
  public BenchReport run(String database) throws InterruptedException {
    double loadAverageAtStart = loadAverage();
    Path work = createWorkDirectory();
    BenchSchema schema = new BenchSchema(server);
    try {
      Path naiveScripts = ChangeScripts.naive(work.resolve("naive"), settings.rows());
      Path lockstepScripts = ChangeScripts.lockstep(work.resolve("lockstep"), settings.rows());
      RunnerJobs jobs = new RunnerJobs(runner, schema, settings.lockTimeout(), work, log);
      String serverVersion = schema.serverVersion();
      log.println("bench: " + settings.rowSweep() + " rows on " + serverVersion + " (" + database + ")");

      List<BackfillComparison> backfills = new ArrayList<>();
      for (int rows : settings.rowSweep()) {
        Path scripts = rows == settings.rows() ? lockstepScripts : ChangeScripts.lockstep(work.resolve("sweep-" + rows), rows);
        backfills.add(compareBackfills(schema, jobs, scripts, rows));
      }

      PhaseResult naive = loadedPhase("naive", "one Flyway script: volatile default, CREATE INDEX, SET NOT NULL",
          schema, jobs, naiveScripts, () -> List.of(jobs.migrate(naiveScripts, ChangeScripts.NAIVE_VERSION)));
      requireTargetSchema(schema, "naive");

      PhaseResult lockstep = loadedPhase("lockstep",
          "expand, batched backfill, CREATE INDEX CONCURRENTLY, NOT VALID + VALIDATE, SET NOT NULL",
          schema, jobs, lockstepScripts, () -> List.of(
              jobs.migrate(lockstepScripts, ChangeScripts.EXPAND_VERSION),
              jobs.backfill(settings.batchSize(), settings.batchTime()),
              jobs.migrate(lockstepScripts, ChangeScripts.CONTRACT_VERSION)));
      requireTargetSchema(schema, "lockstep");

      Duration longestChange = Stream.of(naive.change(), lockstep.change()).max(Comparator.naturalOrder()).orElseThrow();
      PhaseResult baseline = loadedPhase("baseline", "no migration, load for as long as the longer change",
          schema, jobs, naiveScripts, () -> {
            Thread.sleep(longestChange.toMillis());
            return List.of();
          });

      BenchEnvironment environment = new BenchEnvironment(serverVersion, database,
          schema.setting("synchronous_commit"), Runtime.getRuntime().availableProcessors(),
          loadAverageAtStart, loadAverage());
      return new BenchReport(settings, environment, backfills, baseline, naive, lockstep);
    } finally {
      log.println("bench: dropping schema " + BenchSchema.NAME);
      try {
        schema.drop();
      } catch (BenchmarkFailure e) {
        // Reported, not thrown: the failure that brought us here (a server gone?) matters more.
        log.println("bench: could not drop schema " + BenchSchema.NAME + ": " + e.getMessage());
      }
      deleteRecursively(work);
    }
  }

  /** One UPDATE of the whole table, then the batched backfill, each on a fresh table of {@code rows} rows with the new column. */
  private BackfillComparison compareBackfills(BenchSchema schema, RunnerJobs jobs, Path scripts, int rows) {
    freshTable(schema, jobs, scripts, rows, "one UPDATE");
    jobs.migrate(scripts, ChangeScripts.EXPAND_VERSION);
    log.println("bench: one UPDATE of the whole table, " + rows + " rows");
    long updateNanos = schema.timed("UPDATE " + ChangeScripts.TABLE
        + " SET " + ChangeScripts.BACKFILL_SET + " WHERE " + ChangeScripts.BACKFILL_WHERE);

    freshTable(schema, jobs, scripts, rows, "batched backfill");
    jobs.migrate(scripts, ChangeScripts.EXPAND_VERSION);
    log.println("bench: batched backfill, " + rows + " rows, " + settings.batching());
    RunnerResult batched = jobs.backfill(settings.batchSize(), settings.batchTime());
    if (batched.getRows() == null || batched.getRows() != rows) {
      throw new BenchmarkFailure("the backfill changed " + batched.getRows() + " rows, not " + rows);
    }
    return new BackfillComparison(rows, updateNanos / 1e6, batched.getMillis(), batched.getBatches(),
        orZero(batched.getBatchMillisP50()), orZero(batched.getBatchMillisP99()), batched.getLongestBatchMillis());
  }

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }

  /**
   * A fresh table, then the load; after the warm-up it records the lead-in, the change and the tail.
   *
   * @throws BenchmarkFailure when the load stopped itself because a request waited too long
   */
  private PhaseResult loadedPhase(
      String name, String description, BenchSchema schema, RunnerJobs jobs, Path scripts, Change change)
      throws InterruptedException {
    freshTable(schema, jobs, scripts, settings.rows(), name);
    log.println("bench: phase " + name + ": " + settings.threads() + " load threads, "
        + settings.requestsPerSecond() + " requests/s; " + description);
    List<RunnerResult> results;
    long changeStarted;
    Duration changeTook;
    LoadResult load;
    try (LoadGenerator generator = LoadGenerator.start(
        schema.login(), settings.threads(), settings.requestsPerSecond(), settings.rows())) {
      Thread.sleep(WARM_UP.toMillis());
      generator.startRecording();
      Thread.sleep(LEAD_IN.toMillis());
      changeStarted = System.nanoTime();
      results = change.apply();
      changeTook = Duration.ofNanos(System.nanoTime() - changeStarted);
      if (generator.abortReason() == null) {
        Thread.sleep(TAIL.toMillis());
      }
      load = generator.stop();
    }
    if (load.abortReason() != null) {
      throw new BenchmarkFailure("phase " + name + ": the load stopped: " + load.abortReason());
    }
    if (load.latency().requests() == 0) {
      throw new BenchmarkFailure("phase " + name + ": the load recorded no request");
    }
    log.println("bench: phase " + name + ": " + load.latency().requests() + " requests, "
        + load.latency().failed() + " failed, in " + load.recorded().toMillis() + " ms");
    boolean applied = !results.isEmpty();
    int lockRetries = results.stream().mapToInt(RunnerResult::getLockRetries).sum();
    Long longestBatch = results.stream().map(RunnerResult::getLongestBatchMillis).filter(Objects::nonNull)
        .max(Comparator.naturalOrder()).orElse(null);
    long slowestDue = load.latency().slowestDueNanos();
    List<PhaseResult.CommandLatency> byCommand = jobs.startedSince(changeStarted).stream()
        .map(span -> new PhaseResult.CommandLatency(span.command(), load.dueWithin(span.startNanos(), span.endNanos())))
        .toList();
    return new PhaseResult(name, description, applied ? changeTook : null, load, lockRetries, longestBatch,
        Duration.ofNanos(slowestDue - changeStarted), jobs.runningAt(slowestDue), byCommand);
  }

  /** Drops and re-creates the schema, loads the table through the runner, and vacuums it. */
  private void freshTable(BenchSchema schema, RunnerJobs jobs, Path scripts, int rows, String purpose) {
    log.println("bench: loading " + rows + " rows for " + purpose);
    schema.recreate();
    jobs.migrate(scripts, ChangeScripts.TABLE_VERSION);
    schema.vacuumAnalyze(ChangeScripts.TABLE);
  }

  /** Both ways must end with the same table, or their costs do not compare. */
  private static void requireTargetSchema(BenchSchema schema, String phase) {
    String notNull = schema.query("SELECT attnotnull FROM pg_attribute WHERE attrelid = '"
        + ChangeScripts.TABLE + "'::regclass AND attname = '" + ChangeScripts.COLUMN + "'");
    String indexValid = schema.query("SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass('"
        + ChangeScripts.INDEX + "')");
    if (!"t".equals(notNull) || !"t".equals(indexValid)) {
      throw new BenchmarkFailure("phase " + phase + " did not end with " + ChangeScripts.COLUMN
          + " NOT NULL and a valid index " + ChangeScripts.INDEX);
    }
  }

  /** This machine's load average over the last minute; negative where the system does not tell. */
  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static Path createWorkDirectory() {
    try {
      return Files.createTempDirectory("lockstep-bench-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for the benchmark's scripts", e);
    }
  }

  private static void deleteRecursively(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      List<Path> all = new ArrayList<>(paths.toList());
      all.sort(Comparator.reverseOrder());
      for (Path path : all) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }
}
