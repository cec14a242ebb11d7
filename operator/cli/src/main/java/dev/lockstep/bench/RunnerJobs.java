package dev.lockstep.bench;

import dev.lockstep.runner.ContainerEnvironment;
import dev.lockstep.runner.DatabaseCredentials;
import dev.lockstep.protocol.RunnerResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the runner's commands as the operator's Jobs run them — same arguments, same environment
 * variables, same result file — but in this process, so that the benchmark measures the real code
 * path and nothing else.
 */
final class RunnerJobs {

  private final RunnerEntrypoint entrypoint;
  private final Map<String, String> env;
  private final Path resultFile;
  private final String lockTimeout;
  private final PrintStream log;
  /** Every command run so far, to tell which was running at a given moment. */
  private final List<Span> spans = new ArrayList<>();

  /** One command and when it ran, on the {@link System#nanoTime()} clock. */
  record Span(String command, long startNanos, long endNanos) {}

  RunnerJobs(RunnerEntrypoint entrypoint, BenchSchema schema, Duration lockTimeout, Path workDir, PrintStream log) {
    this.entrypoint = entrypoint;
    this.env = Map.of(
        DatabaseCredentials.URL_VARIABLE, schema.login().jdbcUrl(),
        DatabaseCredentials.USERNAME_VARIABLE, schema.login().username(),
        DatabaseCredentials.PASSWORD_VARIABLE, schema.login().password());
    this.resultFile = workDir.resolve("result.json");
    this.lockTimeout = lockTimeout.toMillis() + "ms";
    this.log = log;
  }

  /** {@code lockstep migrate --to <version> --scripts <scripts>}. */
  RunnerResult migrate(Path scripts, String version) {
    return run("migrate --to " + version, "migrate", "--to", version, "--scripts", scripts.toString());
  }

  /**
   * {@code lockstep backfill ...} with the change's expressions: batches of {@code batchSize} rows
   * when it is given, else sized to take {@code batchTime}.
   */
  RunnerResult backfill(Integer batchSize, Duration batchTime) {
    List<String> options = new ArrayList<>(List.of(
        "--table", ChangeScripts.TABLE,
        "--set", ChangeScripts.BACKFILL_SET,
        "--where", ChangeScripts.BACKFILL_WHERE,
        "--checkpoint", ChangeScripts.BACKFILL_CHECKPOINT));
    if (batchSize != null) {
      options.addAll(List.of("--batch-size", Integer.toString(batchSize), "--batch-time", "0s"));
    } else {
      options.addAll(List.of("--batch-time", batchTime.toMillis() + "ms"));
    }
    return run("backfill", "backfill", options.toArray(String[]::new));
  }

  /**
   * Runs one command, with what it prints passed on to the log, indented, and returns its result.
   *
   * @throws BenchmarkFailure when the command fails: the figures would mean nothing
   */
  private RunnerResult run(String label, String command, String... options) {
    List<String> args = new ArrayList<>(List.of(command));
    args.addAll(List.of(options));
    args.addAll(List.of("--lock-timeout", lockTimeout, "--result-file", resultFile.toString()));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exitCode;
    try (PrintStream out = new PrintStream(new IndentedLog(log), true, StandardCharsets.UTF_8)) {
      Files.deleteIfExists(resultFile);
      long started = System.nanoTime();
      try {
        exitCode = entrypoint.run(args.toArray(String[]::new), ContainerEnvironment.of(
            env, Path::of, out, new PrintStream(err, true, StandardCharsets.UTF_8)));
      } finally {
        spans.add(new Span(label, started, System.nanoTime()));
      }
      if (exitCode != 0) {
        String error = err.toString(StandardCharsets.UTF_8).strip();
        throw new BenchmarkFailure("lockstep " + command + " exited with " + exitCode
            + (error.isEmpty() ? "" : ": " + error.lines().reduce((first, last) -> last).orElse("")));
      }
      return RunnerResult.parse(Files.readString(resultFile));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the result of lockstep " + command, e);
    }
  }

  /** The commands that started from {@code nanos} (System.nanoTime) on, in the order they ran. */
  List<Span> startedSince(long nanos) {
    return spans.stream().filter(span -> span.startNanos() >= nanos).toList();
  }

  /** The command that was running at {@code nanos} (System.nanoTime), e.g. {@code migrate --to 6}; else null. */
  String runningAt(long nanos) {
    for (Span span : spans) {
      if (span.startNanos() <= nanos && nanos <= span.endNanos()) {
        return span.command();
      }
    }
    return null;
  }
}
