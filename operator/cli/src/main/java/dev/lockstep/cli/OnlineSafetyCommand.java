package dev.lockstep.cli;

import dev.lockstep.api.Durations;
import dev.lockstep.bench.BenchReport;
import dev.lockstep.bench.BenchSettings;
import dev.lockstep.bench.BenchmarkFailure;
import dev.lockstep.bench.OnlineSafetyBenchmark;
import dev.lockstep.runner.ContainerEnvironment;
import dev.lockstep.runner.SqlErrors;
import dev.lockstep.world.database.DatabaseServer;
import dev.lockstep.world.database.EmbeddedDatabase;
import dev.lockstep.world.database.ExternalDatabase;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lockstep bench online-safety}: what a schema change costs the application while it runs,
 * the naive way and the Lockstep way, and the batched backfill against one UPDATE.
 */
@Command(
    name = "online-safety",
    mixinStandardHelpOptions = true,
    description = {
      "Measures what a schema change costs the application using the table meanwhile.",
      "The change: a column with a volatile default, an index, NOT NULL. It is applied",
      "to a loaded table while threads send it short reads and writes: once the naive",
      "way (one Flyway script), once the Lockstep way (expand, batched backfill,",
      "CREATE INDEX CONCURRENTLY, NOT VALID + VALIDATE), once not at all (baseline).",
      "Also compares the batched backfill with one UPDATE of the whole table.",
      "Works in the schema lockstep_bench, which it creates and drops.",
      "Progress goes to stderr; the figures to stdout.",
      "Exit codes: 0 it ran (whatever the figures), 1 a phase failed, 2 bad input."
    })
final class OnlineSafetyCommand implements Callable<Integer> {

  static final int RAN = 0;
  static final int PHASE_FAILED = 1;
  static final int BAD_INPUT = 2;

  static final String USERNAME_VARIABLE = "LOCKSTEP_BENCH_USERNAME";
  static final String PASSWORD_VARIABLE = "LOCKSTEP_BENCH_PASSWORD";

  @ParentCommand BenchCommand bench;

  @Option(names = "--rows", paramLabel = "N[,N...]", defaultValue = "1000000",
      description = "Rows in the table; several (100000,1000000,5000000) compare the backfill at each size and run"
          + " the phases under load at the largest. Default: ${DEFAULT-VALUE}.")
  String rows;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "4", description = "Load threads, each with a connection. Default: ${DEFAULT-VALUE}.")
  int threads;

  @Option(names = "--rate", paramLabel = "N", defaultValue = "400",
      description = "Requests per second of the load, over all threads. Default: ${DEFAULT-VALUE}.")
  int rate;

  @Option(names = "--lock-timeout", paramLabel = "DURATION", defaultValue = "2s",
      description = "The runner's lock timeout, for both ways. Default: ${DEFAULT-VALUE}.")
  String lockTimeout;

  @Option(names = "--batch-size", paramLabel = "N",
      description = "Fixed rows per backfill batch. Default: batches sized by time (--batch-time).")
  Integer batchSize;

  @Option(names = "--batch-time", paramLabel = "DURATION",
      description = "Duration each backfill batch aims at; the runner's own default. Default: 50ms.")
  String batchTime;

  @Option(names = "--jdbc-url", paramLabel = "URL", description = "Measure this PostgreSQL database instead of an embedded one.")
  String jdbcUrl;

  @Option(names = "--username", paramLabel = "USER", description = "User for --jdbc-url. Env: " + USERNAME_VARIABLE + ".")
  String username;

  @Option(names = "--password", paramLabel = "PASSWORD", description = "Password for --jdbc-url. Env: " + PASSWORD_VARIABLE + ".")
  String password;

  @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text",
      description = "text (a table, then the JSON line) or json (the JSON line only). Default: ${DEFAULT-VALUE}.")
  String output;

  @Override
  public Integer call() throws InterruptedException {
    ContainerEnvironment environment = bench.root.environment();
    PrintStream out = environment.out();
    PrintStream err = environment.err();
    // Read through the container environment, like every other command, rather than picocli's
    // ${env:...}, which would see only this process's variables.
    String username = this.username != null ? this.username : environment.env(USERNAME_VARIABLE);
    String password = this.password != null ? this.password : environment.env(PASSWORD_VARIABLE);
    BenchSettings settings;
    try {
      if (!output.equals("text") && !output.equals("json")) {
        throw new IllegalArgumentException("--output is \"" + output + "\"; use text or json");
      }
      if (jdbcUrl != null && (isBlank(username) || isBlank(password))) {
        throw new IllegalArgumentException("--jdbc-url needs --username and --password"
            + " (or " + USERNAME_VARIABLE + " and " + PASSWORD_VARIABLE + "): the runner connects with them");
      }
      if (batchSize != null && batchTime != null) {
        throw new IllegalArgumentException("--batch-size and --batch-time exclude each other: give --batch-size for"
            + " batches of a fixed size, --batch-time for batches sized by time");
      }
      settings = new BenchSettings(rowSweep(rows), threads, rate, Durations.parse(lockTimeout, "--lock-timeout"),
          batchSize, batchTime == null ? Duration.ofMillis(50) : Durations.parse(batchTime, "--batch-time"));
    } catch (IllegalArgumentException e) {
      err.println("lockstep bench online-safety: " + e.getMessage());
      return BAD_INPUT;
    }
    BenchReport report;
    try (DatabaseServer databases = jdbcUrl == null
        ? EmbeddedDatabase.start()
        : ExternalDatabase.connect(jdbcUrl, username, password)) {
      report = new OnlineSafetyBenchmark(settings, databases.database("bench"), dev.lockstep.command.LockstepCommand::run, err)
          .run(jdbcUrl == null ? "embedded" : "external");
    } catch (IllegalArgumentException e) {
      err.println("lockstep bench online-safety: " + e.getMessage());
      return BAD_INPUT;
    } catch (BenchmarkFailure | IllegalStateException | UncheckedIOException e) {
      err.println("lockstep bench online-safety: " + SqlErrors.oneLine(e.getMessage()));
      return PHASE_FAILED;
    }
    if (output.equals("json")) {
      out.println(report.json());
    } else {
      report.printText(out);
    }
    return RAN;
  }

  /** {@code 100000,1000000}: the sizes, each a whole number. */
  private static List<Integer> rowSweep(String text) {
    List<Integer> sizes = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      try {
        sizes.add(Integer.parseInt(part.strip().replace("_", "")));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--rows is \"" + text + "\"; give a number of rows such as 1000000, or"
            + " several separated by commas: 100000,1000000,5000000");
      }
    }
    return sizes;
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
