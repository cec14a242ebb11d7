package dev.lockstep.command;

import dev.lockstep.runner.RunnerFailure;
import dev.lockstep.runner.RunnerInvocation;
import dev.lockstep.runner.RunnerOptions;
import dev.lockstep.runner.backfill.Backfill;
import dev.lockstep.runner.backfill.BackfillRequest;
import dev.lockstep.runner.backfill.BatchSizing;
import dev.lockstep.runner.backfill.ProgressEndpoint;
import dev.lockstep.runner.backfill.throttle.ThrottleSettings;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Job entrypoint: changes the rows of a table in batches, resumable from a checkpoint. */
@Command(
    name = "backfill",
    description = {
      "Changes rows in batches (UPDATE <table> SET <set> WHERE <where>), each batch one statement over",
      "a range of the primary key in its own short transaction, sized to take --batch-time, held back",
      "while an optional throttle is over its maximum, resumable: progress is kept in the table",
      "lockstep_backfill_progress; with --progress-port the figures are also served over HTTP for the operator.",
      "Exit codes: 0 ok, 1 the database work failed, 2 bad input."
    },
    mixinStandardHelpOptions = true)
public final class BackfillCommand implements Callable<Integer> {

  @ParentCommand private Program root;

  @Mixin private RunnerOptions options;

  @Option(names = "--table", paramLabel = "TABLE", description = "Table to change, optionally schema-qualified.")
  private String table;

  @Option(names = "--set", paramLabel = "SQL", description = "Assignments, e.g. \"currency = 'EUR'\".")
  private String set;

  @Option(
      names = "--where",
      paramLabel = "SQL",
      description = "Condition of the rows still to change; a changed row must stop matching it, e.g. \"currency IS NULL\".")
  private String where;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "1000",
      description = "Keys in the first batch; in every batch with --batch-time 0s (default: ${DEFAULT-VALUE}).")
  private String batchSize;

  @Option(names = "--batch-time", paramLabel = "DURATION", defaultValue = "50ms",
      description = "Duration each batch aims at; sizes adapt to it. 0s keeps every batch at --batch-size"
          + " (default: ${DEFAULT-VALUE}).")
  private String batchTime;

  @Option(names = "--min-batch-size", paramLabel = "N",
      description = "Fewest keys in a batch sized by time (default: 100, or --batch-size if smaller).")
  private String minBatchSize;

  @Option(names = "--max-batch-size", paramLabel = "N",
      description = "Most keys in a batch sized by time (default: 100000, or --batch-size if larger).")
  private String maxBatchSize;

  @Option(names = "--throttle-sql", paramLabel = "SQL",
      description = "Query on the database that returns one number, e.g. replication lag; batches wait while it is"
          + " above --throttle-max.")
  private String throttleSql;

  @Option(names = "--throttle-prometheus-url", paramLabel = "URL", description = "Prometheus for --throttle-prometheus-query.")
  private String throttlePrometheusUrl;

  @Option(names = "--throttle-prometheus-query", paramLabel = "PROMQL",
      description = "Instant query that returns one number; batches wait while it is above --throttle-max.")
  private String throttlePrometheusQuery;

  @Option(names = "--throttle-max", paramLabel = "NUMBER", description = "Highest throttle value at which batches run.")
  private String throttleMax;

  @Option(names = "--throttle-interval", paramLabel = "DURATION", defaultValue = "1s",
      description = "How often the throttle value is read, while running and while paused (default: ${DEFAULT-VALUE}).")
  private String throttleInterval;

  @Option(names = "--pause", paramLabel = "DURATION", description = "Pause between batches (default: none).")
  private String pause;

  @Option(
      names = "--checkpoint",
      paramLabel = "ID",
      description = "Id progress is kept under, e.g. <namespace>/<migration uid>/<step>; a rerun continues from it.")
  private String checkpoint;

  @Option(names = "--progress-port", paramLabel = "PORT",
      description = "Serve the progress as JSON at http://<$" + POD_IP_VARIABLE + ">:PORT/progress while running, for"
          + " the operator (default: not served).")
  private String progressPort;

  @Option(
      names = "--within-checkpoint",
      paramLabel = "ID",
      description = "Only the keys the backfill of checkpoint ID went over (an undo: rows the application wrote"
          + " beyond them are left alone, and the run ends where that backfill ended).")
  private String withinCheckpoint;

  /** The pod's IP, from the downward API: the progress endpoint listens there only. */
  public static final String POD_IP_VARIABLE = "LOCKSTEP_POD_IP";

  @Override
  public Integer call() {
    return RunnerInvocation.run("backfill", root.environment(), options, context -> {
      BackfillRequest request = new BackfillRequest(
          table,
          set,
          where,
          BatchSizing.of(positive(batchSize, "--batch-size"), RunnerOptions.duration(batchTime, "--batch-time"),
              minBatchSize == null ? null : positive(minBatchSize, "--min-batch-size"),
              maxBatchSize == null ? null : positive(maxBatchSize, "--max-batch-size")),
          pause == null ? Duration.ZERO : RunnerOptions.duration(pause, "--pause"),
          throttle(),
          checkpoint,
          withinCheckpoint);
      if (progressPort == null) {
        new Backfill(context).run(request);
        return;
      }
      int port = positive(progressPort, "--progress-port");
      try (ProgressEndpoint endpoint = ProgressEndpoint.start(root.environment().env(POD_IP_VARIABLE), port)) {
        new Backfill(context, endpoint).run(request);
      }
    });
  }

  /** The throttle the options ask for, or null when none of them is given. */
  private ThrottleSettings throttle() {
    if (throttleSql == null && throttlePrometheusUrl == null && throttlePrometheusQuery == null) {
      if (throttleMax != null) {
        throw RunnerFailure.badInput("--throttle-max needs a value to compare: give --throttle-sql, or"
            + " --throttle-prometheus-url with --throttle-prometheus-query");
      }
      return null;
    }
    if (throttleMax == null) {
      throw RunnerFailure.badInput("a throttle needs --throttle-max: the highest value at which batches run");
    }
    double max;
    try {
      max = Double.parseDouble(throttleMax.trim());
    } catch (NumberFormatException e) {
      throw RunnerFailure.badInput("--throttle-max is \"" + throttleMax + "\"; give a number such as 10 or 0.5");
    }
    return new ThrottleSettings(throttleSql, throttlePrometheusUrl, throttlePrometheusQuery, max,
        RunnerOptions.duration(throttleInterval, "--throttle-interval"));
  }

  private static int positive(String text, String option) {
    try {
      int value = Integer.parseInt(text.trim());
      if (value > 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw RunnerFailure.badInput(option + " is \"" + text + "\"; give a whole number of at least 1");
  }
}
