package dev.lockstep.steps;

import dev.lockstep.validate.StepValidation;
import dev.lockstep.api.BackfillStep;
import dev.lockstep.api.StepStatus;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.BackfillUndo;
import dev.lockstep.api.BackfillThrottle;
import dev.lockstep.api.Durations;
import dev.lockstep.jobs.BackfillProgress;
import dev.lockstep.jobs.JobLauncher;
import dev.lockstep.jobs.JobNames;
import dev.lockstep.jobs.JobState;
import dev.lockstep.jobs.RunnerJobFactory;
import dev.lockstep.jobs.RunnerJobRequest;
import dev.lockstep.protocol.RunnerResult;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code backfill}: changes existing rows in batches in a runner Job, resumable from a checkpoint
 * kept in the database, so a retried attempt continues where the last one stopped. Its optional
 * {@code undo} runs the same way with the reverting expressions. While it runs, the runner serves
 * its progress on its pod IP; once it ended, its termination message has the final figures.
 */
public final class BackfillStepHandler implements StepHandler {

  private static final Duration RECHECK = Duration.ofSeconds(5);

  private final JobLauncher jobs;
  private final BackfillProgress progress;

  public BackfillStepHandler(JobLauncher jobs, BackfillProgress progress) {
    this.jobs = jobs;
    this.progress = progress;
  }

  @Override
  public String field() {
    return "backfill";
  }

  /** A failed backfill whose Job ran changed some rows before it stopped: its undo puts them back. */
  @Override
  public boolean partlyApplied(SchemaMigration migration, StepStatus failed) {
    return failed.getJob() != null;
  }

  @Override
  public void validate(StepValidation v, List<String> problems) {
    BackfillStep backfill = v.step().getBackfill();
    String where = v.where();
    if (StepValidation.blank(backfill.getTable())) {
      problems.add(where + ": backfill.table is missing; name the table to change");
    } else if (!BackfillSpecChecks.isTableName(backfill.getTable())) {
      problems.add(where + ": backfill.table is \"" + backfill.getTable() + "\", which is not a table name; write it"
          + " as table or schema.table (double-quote a name with capitals or other characters)");
    }
    // The same check the runner makes, so that a Job never starts only to refuse its expression.
    BackfillSpecChecks.checkFragment(backfill.getSet(), where + ": backfill.set", problems);
    BackfillSpecChecks.checkFragment(backfill.getWhere(), where + ": backfill.where", problems);
    if (backfill.getUndo() != null) {
      BackfillSpecChecks.checkFragment(backfill.getUndo().getSet(), where + ": backfill.undo.set", problems);
      BackfillSpecChecks.checkFragment(backfill.getUndo().getWhere(), where + ": backfill.undo.where", problems);
    }
    if (StepValidation.blank(backfill.getSet())) {
      problems.add(where + ": backfill.set is missing; give the assignments, such as currency = 'EUR'");
    }
    if (StepValidation.blank(backfill.getWhere())) {
      problems.add(where + ": backfill.where is missing; give the condition of the rows still to change, such as"
          + " currency IS NULL");
    }
    if (backfill.getBatchSize() != null && backfill.getBatchSize() < 1) {
      problems.add(where + ": backfill.batchSize is " + backfill.getBatchSize() + "; use at least 1");
    }
    StepValidation.checkDuration(backfill.getPause(), where + ": backfill.pause", problems);
    BackfillSpecChecks.checkBatchSizing(backfill, where, problems);
    if (backfill.getThrottle() != null) {
      BackfillSpecChecks.checkThrottle(backfill.getThrottle(), where + ": backfill.throttle", problems);
    }
    BackfillUndo undo = backfill.getUndo();
    if (undo != null && undo.declaresNone()
        && (!StepValidation.blank(undo.getSet()) || !StepValidation.blank(undo.getWhere()))) {
      problems.add(where + ": backfill.undo sets none: true and expressions; keep set and where, or only none: true");
    } else if (undo != null && !undo.declaresNone()
        && (StepValidation.blank(undo.getSet()) || StepValidation.blank(undo.getWhere()))) {
      problems.add(where + ": backfill.undo needs both set and where (or none: true when leaving the rows is harmless)");
    }
  }


  @Override
  public StepEffects start(StepContext context) {
    BackfillStep backfill = context.step().getBackfill();
    RunnerJobRequest request = request(context, RunnerJobRequest.DO, context.attempt(),
        args(backfill, backfill.getSet(), backfill.getWhere(), checkpoint(context, false)));
    jobs.launch(request);
    return StepEffects.job(request.jobName());
  }

  @Override
  public StepEffects undo(StepContext context) {
    BackfillStep backfill = context.step().getBackfill();
    if (backfill.getUndo() == null || backfill.getUndo().declaresNone()) {
      return StepEffects.NONE; // nothing to run: observe() says why
    }
    // Bounded by the keys the backfill went over: while dual writes are still on (the flags that turn
    // them on are older steps, restored after this one), the application keeps writing the column,
    // and an unbounded undo would chase its new rows and empty values it did not write.
    List<String> args = args(backfill, backfill.getUndo().getSet(), backfill.getUndo().getWhere(),
        checkpoint(context, true));
    args.addAll(List.of("--within-checkpoint", checkpoint(context, false)));
    RunnerJobRequest request = request(context, RunnerJobRequest.UNDO, context.undoAttempt(), args);
    jobs.launch(request);
    return StepEffects.job(request.jobName());
  }

  @Override
  public StepObservation observe(StepContext context) {
    BackfillStep backfill = context.step().getBackfill();
    if (context.undoing() && backfill.getUndo() == null) {
      return StepObservation.failed(whyIrreversible(context), null);
    }
    if (context.undoing() && backfill.getUndo().declaresNone()) {
      return StepObservation.succeeded("nothing to undo: the backfill declares undo: {none: true}, so its rows"
          + " stay as they are", null);
    }
    String name = context.migration().getMetadata().getName();
    String job = context.undoing()
        ? JobNames.forUndo(name, context.step().getName(), context.undoAttempt())
        : JobNames.forStep(name, context.step().getName(), context.attempt());
    JobState state = jobs.state(context.namespace(), job);
    RunnerResult result = state.result();
    switch (state.phase()) {
      case SUCCEEDED:
        return StepObservation.succeeded(summary(result), report(result));
      case FAILED:
        if (state.interrupted()) {
          // Batches commit with their checkpoint: a new attempt continues where this one stopped.
          return StepObservation.failed(state.message(), interrupted(result));
        }
        return StepObservation.failed(state.message(), report(result));
      case MISSING:
        return StepObservation.missing("Job " + job + " is gone; starting it again");
      default:
        String rows = progress.describe(context.namespace(), job).orElse(null);
        String message = "Job " + job + " is running" + (state.message() == null ? "" : "; " + state.message());
        return StepObservation.running(rows == null ? message : message + ": " + rows, rows, RECHECK);
    }
  }

  @Override
  public String whyIrreversible(StepContext context) {
    return context.step().getBackfill().getUndo() != null ? null : irreversible(context.step().getName());
  }

  /** Why a backfill without {@code undo} cannot be rolled back, and what to declare if that is fine. */
  public static String irreversible(String step) {
    return "backfill " + step + " has no undo, so the rows it changed stay changed (give backfill.undo set and"
        + " where, or undo: {none: true} when leaving them is harmless)";
  }

  private static List<String> args(BackfillStep backfill, String set, String where, String checkpoint) {
    List<String> args = new ArrayList<>(List.of("backfill", "--table", backfill.getTable(), "--set", set,
        "--where", where, "--checkpoint", checkpoint));
    if (backfill.getBatchSize() != null) {
      args.add("--batch-size");
      args.add(backfill.getBatchSize().toString());
    }
    if (backfill.getBatchTime() != null) {
      args.add("--batch-time");
      args.add(Durations.format(Durations.parse(backfill.getBatchTime(), "backfill.batchTime")));
    }
    if (backfill.getMinBatchSize() != null) {
      args.add("--min-batch-size");
      args.add(backfill.getMinBatchSize().toString());
    }
    if (backfill.getMaxBatchSize() != null) {
      args.add("--max-batch-size");
      args.add(backfill.getMaxBatchSize().toString());
    }
    if (backfill.getPause() != null) {
      args.add("--pause");
      args.add(Durations.format(Durations.parse(backfill.getPause(), "backfill.pause")));
    }
    args.addAll(throttleArgs(backfill.getThrottle()));
    return args;
  }

  /** The throttle travels to the runner as options; the runner reads the value itself, between batches. */
  private static List<String> throttleArgs(BackfillThrottle throttle) {
    if (throttle == null) {
      return List.of();
    }
    List<String> args = new ArrayList<>();
    if (throttle.getSql() != null) {
      args.addAll(List.of("--throttle-sql", throttle.getSql()));
    }
    if (throttle.getPrometheus() != null) {
      args.addAll(List.of("--throttle-prometheus-url", throttle.getPrometheus().getUrl(),
          "--throttle-prometheus-query", throttle.getPrometheus().getQuery()));
    }
    args.addAll(List.of("--throttle-max", BigDecimal.valueOf(throttle.getMax()).stripTrailingZeros().toPlainString()));
    if (throttle.getInterval() != null) {
      args.addAll(List.of("--throttle-interval",
          Durations.format(Durations.parse(throttle.getInterval(), "backfill.throttle.interval"))));
    }
    return args;
  }

  /** Progress is kept per migration and step, so a new attempt (or a new operator) resumes it. */
  static String checkpoint(StepContext context, boolean undo) {
    String id = context.namespace() + "/" + context.migration().getMetadata().getUid() + "/" + context.step().getName();
    return undo ? id + "/undo" : id;
  }

  private static RunnerJobRequest request(StepContext context, String action, int attempt, List<String> args) {
    return new RunnerJobRequest(context.migration(), context.step().getName(), action, attempt, List.copyOf(args),
        context.remaining()).withProgressPort(RunnerJobFactory.PROGRESS_PORT);
  }

  private static StepReport report(RunnerResult result) {
    return result == null ? null : new StepReport(null, null, result.getLockRetries(), result.getLockWaitMillis(),
        result.getRows());
  }

  private static StepReport interrupted(RunnerResult result) {
    return new StepReport(null, null, result == null ? null : result.getLockRetries(),
        result == null ? null : result.getLockWaitMillis(), result == null ? null : result.getRows(), null, true);
  }

  private static String summary(RunnerResult result) {
    if (result == null || result.getRows() == null) {
      return "Job completed";
    }
    String text = "changed " + result.getRows() + " rows in " + result.getBatches() + " batches";
    if (result.getLongestBatchMillis() != null) {
      text += ", longest batch " + result.getLongestBatchMillis() + " ms";
    }
    return result.getLockRetries() > 0 ? text + ", " + result.getLockRetries() + " lock-timeout retries" : text;
  }
}
