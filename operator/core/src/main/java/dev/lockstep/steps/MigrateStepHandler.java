package dev.lockstep.steps;

import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.Step;
import dev.lockstep.api.StepStatus;
import dev.lockstep.scripts.ScriptInventory;
import dev.lockstep.validate.StepValidation;
import dev.lockstep.api.Durations;
import dev.lockstep.api.MigrateStep;
import dev.lockstep.api.Workload;
import dev.lockstep.gates.CompatibilityCheck;
import dev.lockstep.gates.WorkloadCompatibility;
import dev.lockstep.jobs.JobLauncher;
import dev.lockstep.jobs.JobNames;
import dev.lockstep.jobs.JobState;
import dev.lockstep.jobs.RunnerJobFactory;
import dev.lockstep.jobs.RunnerJobRequest;
import dev.lockstep.protocol.RunnerResult;
import dev.lockstep.scripts.ScriptCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code migrate: {to: V}}: Flyway up to V in a runner Job; undone by the {@code U} scripts. */
public final class MigrateStepHandler implements StepHandler {

  /** Jobs report through watch events; this is only the safety net for a missed event. */
  private static final Duration RECHECK = Duration.ofSeconds(10);

  private final JobLauncher jobs;
  private final ScriptCatalog scripts;
  private final WorkloadCompatibility compatibility;

  public MigrateStepHandler(JobLauncher jobs, ScriptCatalog scripts, WorkloadCompatibility compatibility) {
    this.jobs = jobs;
    this.scripts = scripts;
    this.compatibility = compatibility;
  }

  @Override
  public String field() {
    return "migrate";
  }

  @Override
  public void validate(StepValidation v, List<String> problems) {
    String to = v.step().getMigrate().getTo();
    if (!ScriptInventory.isVersion(to)) {
      problems.add(v.where() + ": migrate.to is \"" + to + "\", which is not a Flyway version such as 2 or 2.1");
      return;
    }
    ScriptInventory inventory = v.scripts();
    if (inventory != null && !inventory.versions().isEmpty() && !inventory.hasVersion(to)) {
      problems.add(v.where() + ": migrate.to " + to + " has no script V" + to + "__*.sql; the scripts have versions "
          + String.join(", ", inventory.versions()));
    }
    for (int i = v.before().size() - 1; i >= 0; i--) {
      Step previous = v.before().get(i);
      String from = previous.getMigrate() == null ? null : previous.getMigrate().getTo();
      if (from != null && ScriptInventory.isVersion(from)) {
        if (ScriptInventory.compare(to, from) <= 0) {
          problems.add(v.where() + ": migrate.to " + to + " does not move forward from " + from
              + " (step " + previous.getName() + "); versions only move forward");
        }
        break;
      }
    }
    StepValidation.checkDuration(v.step().getMigrate().getLockTimeout(), v.where() + ": migrate.lockTimeout", problems);
    StepValidation.checkDuration(v.step().getMigrate().getStatementTimeout(), v.where() + ": migrate.statementTimeout",
        problems);
  }

  /**
   * The versions this step applies that have no {@code U} script. The first migrate step is judged
   * by its target alone: which older versions the database has already is not known before it runs.
   */
  @Override
  public String pointOfNoReturn(StepValidation v) {
    ScriptInventory inventory = v.scripts();
    String to = v.step().getMigrate().getTo();
    if (inventory == null || !ScriptInventory.isVersion(to) || !inventory.hasVersion(to)) {
      return null;
    }
    String from = null;
    for (int i = v.before().size() - 1; i >= 0 && from == null; i--) {
      var previous = v.before().get(i).getMigrate();
      from = previous != null && ScriptInventory.isVersion(previous.getTo()) ? previous.getTo() : null;
    }
    if (from == null) {
      from = inventory.versionBefore(to).orElse(null);
    }
    List<String> missing = inventory.versionsWithoutUndo(from, to);
    if (missing.isEmpty()) {
      return null;
    }
    return "version" + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing)
        + (missing.size() == 1 ? " has" : " have") + " no undo script (U<version>__*.sql), so a rollback stops"
        + " before undoing it";
  }

  /**
   * A failed migrate that applied its first scripts before one failed left them applied. A Job that
   * ended without a result — killed at its deadline, its pod lost — may have committed versions no
   * one reported: rollback must look, and the undo Job reads Flyway's real history (undoing nothing
   * if nothing above the step's start is applied).
   */
  @Override
  public boolean partlyApplied(SchemaMigration migration, StepStatus failed) {
    if (reported(failed)) {
      return failed.getVersionAfter() != null && !failed.getVersionAfter().equals(failed.getVersionBefore());
    }
    return jobRan(migration, failed);
  }

  /**
   * Whether the current attempt's Job reported a result: every result carries its lock retries, and
   * the engine clears them when an attempt starts.
   */
  private static boolean reported(StepStatus status) {
    return status.getLockRetries() != null;
  }

  /** Whether the current attempt got as far as its Job (a step can also fail waiting at its gate). */
  private static boolean jobRan(SchemaMigration migration, StepStatus status) {
    int attempt = status.getAttempts() == null ? 1 : status.getAttempts();
    return status.getJob() != null
        && status.getJob().equals(JobNames.forStep(migration.getMetadata().getName(), status.getName(), attempt));
  }

  /**
   * The version the step started from: as its Job reported it, else — no result — what the migrate
   * step before it left (the database's lease lets no other migration in between). {@code null} with
   * {@code known} false when neither tells.
   */
  private static StartVersion startVersion(StepContext context) {
    StepStatus status = context.status();
    if (reported(status) || status.getVersionBefore() != null) {
      return new StartVersion(status.getVersionBefore(), true);
    }
    List<dev.lockstep.api.StepStatus> steps =
        context.migration().getStatus() == null ? List.of() : context.migration().getStatus().getSteps();
    String found = null;
    for (StepStatus earlier : steps == null ? List.<StepStatus>of() : steps) {
      if (earlier.getName().equals(status.getName())) {
        break;
      }
      if (earlier.getVersionAfter() != null) {
        found = earlier.getVersionAfter();
      }
    }
    return new StartVersion(found, found != null);
  }

  private record StartVersion(String version, boolean known) {}


  @Override
  public StepEffects start(StepContext context) {
    if (!podsNotReadyFor(context, gateVersion(context)).isEmpty()) {
      return StepEffects.NONE; // observe() reports the wait; the engine starts the step again after it
    }
    MigrateStep migrate = context.step().getMigrate();
    List<String> args = new ArrayList<>(List.of("migrate", "--to", migrate.getTo()));
    addRunnerOptions(args, migrate);
    RunnerJobRequest request = request(context, RunnerJobRequest.DO, args);
    jobs.launch(request);
    return StepEffects.job(request.jobName());
  }

  @Override
  public StepObservation observe(StepContext context) {
    String job = context.undoing() ? undoJob(context) : doJob(context);
    JobState state = jobs.state(context.namespace(), job);
    if (state.phase() == JobState.Phase.MISSING) {
      String version = gateVersion(context);
      List<Hold> holds = podsNotReadyFor(context, version);
      if (!holds.isEmpty()) {
        String waiting = String.join("; ", holds.stream().map(Hold::message).toList());
        return StepObservation.running("compatibility gate: waiting for every ready pod to support schema version "
            + version + (context.undoing() ? " before undoing: " : " before migrating: ") + waiting, null, RECHECK)
            .waitingFor(holds);
      }
    }
    return interpret(state, job, context.undoing() ? "undid" : "migrated");
  }

  /**
   * The implicit gate: a migration (or an undo) to V waits until every ready pod of every workload
   * that declares its compatibility supports V. What holds it, one hold per workload; empty when
   * every pod does.
   */
  private List<Hold> podsNotReadyFor(StepContext context, String version) {
    List<Workload> workloads = context.migration().getSpec().getWorkloads();
    if (workloads == null || version == null) {
      return List.of();
    }
    List<Hold> waiting = new ArrayList<>();
    for (Workload workload : workloads) {
      if (workload.getCompatibility() != null) {
        CompatibilityCheck check =
            compatibility.checkBeforeChange(context.namespace(), workload, version);
        if (!check.satisfied()) {
          waiting.add(CompatibilityHolds.of(check));
        }
      }
    }
    return waiting;
  }

  /**
   * The version every pod must support before the Job changes the schema: the target going forward;
   * going back, the version the undo returns to — a restored flag takes a while to reach every pod,
   * and an undo must not pull the schema from under code that still needs it. {@code null} (no
   * gate) when undoing to an empty schema, which no application supports.
   */
  private static String gateVersion(StepContext context) {
    return context.undoing() ? startVersion(context).version() : context.step().getMigrate().getTo();
  }

  @Override
  public StepEffects undo(StepContext context) {
    if (!podsNotReadyFor(context, gateVersion(context)).isEmpty()) {
      return StepEffects.NONE; // observe() reports the wait; the engine starts the undo again after it
    }
    List<String> args = new ArrayList<>(List.of("undo", "--to", versionToUndoTo(context)));
    addRunnerOptions(args, context.step().getMigrate());
    RunnerJobRequest request = request(context, RunnerJobRequest.UNDO, args).withAttempt(context.undoAttempt());
    jobs.launch(request);
    return StepEffects.job(request.jobName());
  }

  /**
   * {@code lockstep repair} in a Job of its own: it refuses unless the failed script's effects are
   * undone or re-runnable, drops the invalid indexes it left and runs Flyway's repair. Its deadline is
   * the step's timeout, counted afresh: the step itself has ended.
   */
  @Override
  public StepEffects repair(StepContext context, int attempt) {
    List<String> args = new ArrayList<>(List.of("repair"));
    addRunnerOptions(args, context.step().getMigrate());
    RunnerJobRequest request = new RunnerJobRequest(context.migration(), context.step().getName(),
        RunnerJobRequest.REPAIR, attempt, List.copyOf(args), context.timeout());
    jobs.launch(request);
    return StepEffects.job(request.jobName());
  }

  @Override
  public StepObservation observeRepair(StepContext context, int attempt) {
    String job = JobNames.forRepair(name(context), context.step().getName(), attempt);
    JobState state = jobs.state(context.namespace(), job);
    return switch (state.phase()) {
      case SUCCEEDED -> StepObservation.succeeded("repaired by Job " + job, null);
      case FAILED -> StepObservation.failed(state.message(), null);
      case MISSING -> StepObservation.missing("starting repair Job " + job);
      default -> StepObservation.running("repair Job " + job + " is running"
          + (state.message() == null ? "" : "; " + state.message()), null, RECHECK);
    };
  }

  @Override
  public String whyIrreversible(StepContext context) {
    String after = context.status().getVersionAfter();
    if (!reported(context.status()) && context.status().getState() == dev.lockstep.api.StepState.Failed) {
      StartVersion start = startVersion(context);
      if (!start.known()) {
        return "step " + context.step().getName() + "'s Job ended without a result (killed at its deadline, or its"
            + " pod lost), and the step it started from is not known, so which versions it applied cannot be told;"
            + " compare flyway_schema_history with the scripts up to " + context.step().getMigrate().getTo()
            + " and undo by hand";
      }
      // Whatever it applied lies between where it started and its target.
      after = context.step().getMigrate().getTo();
    }
    if (after == null) {
      return null;
    }
    // Scripts in an image are known from their inspection at validation; without one (a migration
    // validated before inspections existed) the undo Job checks them, refusing before it changes anything.
    var inventory = scripts.scripts(context.migration());
    if (inventory.isEmpty()) {
      return null;
    }
    List<String> missing =
        inventory.get().versionsWithoutUndo(startVersion(context).version(), after);
    if (missing.isEmpty()) {
      return null;
    }
    return "step " + context.step().getName() + " applied version" + (missing.size() == 1 ? " " : "s ")
        + String.join(", ", missing) + " with no undo script (U<version>__*.sql)";
  }

  /** Undo goes back to where the step started; "0" is Flyway's empty schema. */
  private static String versionToUndoTo(StepContext context) {
    String before = startVersion(context).version();
    return before == null ? "0" : before;
  }

  private static String doJob(StepContext context) {
    return JobNames.forStep(name(context), context.step().getName(), context.attempt());
  }

  private static String undoJob(StepContext context) {
    return JobNames.forUndo(name(context), context.step().getName(), context.undoAttempt());
  }

  private static StepObservation interpret(JobState state, String job, String verb) {
    RunnerResult result = state.result();
    StepReport report =
        result == null
            ? null
            : new StepReport(result.getVersionBefore(), result.getVersionAfter(), result.getLockRetries(),
                result.getLockWaitMillis(), null,
                state.phase() == JobState.Phase.FAILED ? RepairNeeds.of(result.getStuck()) : null);
    switch (state.phase()) {
      case SUCCEEDED:
        return StepObservation.succeeded(summary(verb, result), report);
      case FAILED:
        return StepObservation.failed(state.message(), report);
      case MISSING:
        return StepObservation.missing("starting Job " + job);
      default:
        String message = "Job " + job + " is running";
        return StepObservation.running(
            state.message() == null ? message : message + "; " + state.message(), null, RECHECK);
    }
  }

  private static String summary(String verb, RunnerResult result) {
    if (result == null) {
      return "Job completed";
    }
    int scripts = result.getScripts() == null ? 0 : result.getScripts().size();
    String text = verb + " from version " + orNone(result.getVersionBefore()) + " to "
        + orNone(result.getVersionAfter()) + " (" + scripts + (scripts == 1 ? " script" : " scripts");
    if (result.getLockRetries() > 0) {
      text += ", " + result.getLockRetries() + " lock-timeout retries";
    }
    if (result.getReconnects() != null) {
      text += ", " + result.getReconnects() + " reconnects after a lost connection";
    }
    return text + ")";
  }

  private static String orNone(String version) {
    return version == null ? "none" : version;
  }

  private static void addRunnerOptions(List<String> args, MigrateStep migrate) {
    args.add("--scripts");
    args.add(RunnerJobFactory.SCRIPTS_MOUNT);
    if (migrate.getLockTimeout() != null) {
      args.add("--lock-timeout");
      args.add(Durations.format(Durations.parse(migrate.getLockTimeout(), "migrate.lockTimeout")));
    }
    if (migrate.getStatementTimeout() != null) {
      args.add("--statement-timeout");
      args.add(Durations.format(Durations.parse(migrate.getStatementTimeout(), "migrate.statementTimeout")));
    }
  }

  private static RunnerJobRequest request(StepContext context, String action, List<String> args) {
    return new RunnerJobRequest(
        context.migration(), context.step().getName(), action, context.attempt(), List.copyOf(args),
        context.remaining());
  }

  private static String name(StepContext context) {
    return context.migration().getMetadata().getName();
  }
}
