package dev.lockstep.steps;

import dev.lockstep.api.BackfillStep;
import dev.lockstep.api.BackfillThrottle;
import dev.lockstep.api.Durations;
import dev.lockstep.api.StepKind;
import dev.lockstep.jobs.BackfillProgress;
import dev.lockstep.jobs.JobLauncher;
import dev.lockstep.jobs.JobNames;
import dev.lockstep.jobs.JobState;
import dev.lockstep.jobs.RunnerJobRequest;
import dev.lockstep.runner.RunnerResult;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code backfill}: changes existing rows in batches in a runner Job, resumable from a checkpoint
 * kept in the database, so a retried attempt continues where the last one stopped. Its optional
 * {@code undo} runs the same way with the reverting expressions.
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
  public StepKind kind() {
    return StepKind.BACKFILL;
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
    if (backfill.getUndo() == null) {
      return StepEffects.NONE;
    }
    RunnerJobRequest request = request(context, RunnerJobRequest.UNDO, 1,
        args(backfill, backfill.getUndo().getSet(), backfill.getUndo().getWhere(), checkpoint(context, true)));
    jobs.launch(request);
    return StepEffects.job(request.jobName());
  }

  @Override
  public StepObservation observe(StepContext context) {
    BackfillStep backfill = context.step().getBackfill();
    if (context.undoing() && backfill.getUndo() == null) {
      return StepObservation.succeeded("the backfill has no undo; its rows stay as they are", null);
    }
    String name = context.migration().getMetadata().getName();
    String job = context.undoing()
        ? JobNames.forUndo(name, context.step().getName(), 1)
        : JobNames.forStep(name, context.step().getName(), context.attempt());
    JobState state = jobs.state(context.namespace(), job);
    RunnerResult result = state.result();
    switch (state.phase()) {
      case SUCCEEDED:
        return StepObservation.succeeded(summary(result), report(result));
      case FAILED:
        return StepObservation.failed(state.message(), report(result));
      case MISSING:
        return StepObservation.missing("Job " + job + " is gone; starting it again");
      default:
        String rows = progress.describe(context.migration(), checkpoint(context, context.undoing())).orElse(null);
        String message = "Job " + job + " is running" + (state.message() == null ? "" : "; " + state.message());
        return StepObservation.running(rows == null ? message : message + ": " + rows, rows, RECHECK);
    }
  }

  @Override
  public String whyIrreversible(StepContext context) {
    return null;
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
        context.timeout());
  }

  private static StepReport report(RunnerResult result) {
    return result == null ? null : new StepReport(null, null, result.getLockRetries(), result.getLockWaitMillis());
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
