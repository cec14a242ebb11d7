package dev.lockstep.command;

import dev.lockstep.runner.RunnerFailure;
import dev.lockstep.runner.RunnerInvocation;
import dev.lockstep.runner.RunnerOptions;
import dev.lockstep.runner.backfill.Backfill;
import dev.lockstep.runner.backfill.BackfillRequest;
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
      "Changes rows in batches (UPDATE <table> SET <set> WHERE <where>), each batch its own short",
      "transaction, resumable: progress is kept in the table lockstep_backfill_progress.",
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

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "1000", description = "Rows per batch (default: ${DEFAULT-VALUE}).")
  private String batchSize;

  @Option(names = "--pause", paramLabel = "DURATION", description = "Pause between batches (default: none).")
  private String pause;

  @Option(
      names = "--checkpoint",
      paramLabel = "ID",
      description = "Id progress is kept under, e.g. <namespace>/<migration uid>/<step>; a rerun continues from it.")
  private String checkpoint;

  @Override
  public Integer call() {
    return RunnerInvocation.run("backfill", root.environment(), options, context ->
        new Backfill(context).run(new BackfillRequest(
            table,
            set,
            where,
            positive(batchSize, "--batch-size"),
            pause == null ? Duration.ZERO : RunnerOptions.duration(pause, "--pause"),
            checkpoint)));
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
