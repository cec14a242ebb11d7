package dev.lockstep.steps;

import static dev.lockstep.reconcile.Migrations.migrate;
import static dev.lockstep.reconcile.Migrations.migration;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.AnnotationCompatibility;
import dev.lockstep.api.Compatibility;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.StepState;
import dev.lockstep.api.StepStatus;
import dev.lockstep.api.Workload;
import dev.lockstep.api.WorkloadKind;
import dev.lockstep.gates.CompatibilityCheck;
import dev.lockstep.gates.CompatibilityCheck.Verdict;
import dev.lockstep.gates.WorkloadCompatibility;
import dev.lockstep.jobs.JobLauncher;
import dev.lockstep.jobs.JobState;
import dev.lockstep.jobs.RunnerJobRequest;
import dev.lockstep.scripts.ScriptCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The migrate handler against fakes: the compatibility gate before an undo, and its Job's deadline. */
class MigrateStepHandlerTest {

  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

  private final List<RunnerJobRequest> launched = new ArrayList<>();
  private final Set<String> supported = new HashSet<>();

  private final JobLauncher jobs = new JobLauncher() {
    @Override
    public void launch(RunnerJobRequest request) {
      launched.add(request);
    }

    @Override
    public JobState state(String namespace, String name) {
      return JobState.missing();
    }
  };

  private final WorkloadCompatibility compatibility = new WorkloadCompatibility() {
    @Override
    public CompatibilityCheck check(String namespace, Workload workload, String version) {
      boolean ok = supported.contains(version);
      return new CompatibilityCheck("Deployment/orders", version, ok ? Verdict.SUPPORTED : Verdict.UNSUPPORTED,
          List.of("orders-1"), List.of(), ok ? "supported" : "orders-1 supports 2-3, not " + version);
    }
  };

  private final ScriptCatalog scripts = new ScriptCatalog() {
    @Override
    public Optional<dev.lockstep.scripts.ScriptInventory> scripts(SchemaMigration migration) {
      return Optional.empty();
    }

    @Override
    public Optional<Map<String, String>> contents(SchemaMigration migration) {
      return Optional.empty();
    }
  };

  private final MigrateStepHandler handler = new MigrateStepHandler(jobs, scripts, compatibility);

  private StepContext undoOfContract(Instant now) {
    SchemaMigration m = migration(migrate("expand", "2"), migrate("contract", "3"));
    Workload orders = new Workload();
    orders.setKind(WorkloadKind.Deployment);
    orders.setName("orders");
    Compatibility compat = new Compatibility();
    compat.setAnnotation(new AnnotationCompatibility());
    orders.setCompatibility(compat);
    m.getSpec().setWorkloads(List.of(orders));
    m.getSpec().getSteps().get(1).setTimeout("10m");
    StepStatus contract = new StepStatus();
    contract.setName("contract");
    contract.setState(StepState.RollingBack);
    contract.setAttempts(1);
    contract.setUndoAttempts(2);
    contract.setStartedAt(T0.minusSeconds(3600).toString());
    contract.setUndoStartedAt(T0.toString());
    contract.setVersionBefore("2");
    contract.setVersionAfter("3");
    return new StepContext(m, m.getSpec().getSteps().get(1), contract, now);
  }

  @Test
  void anUndoWaitsUntilEveryPodSupportsTheVersionItGoesBackTo() {
    supported.add("3");
    StepContext context = undoOfContract(T0);

    assertThat(handler.undo(context)).isEqualTo(StepEffects.NONE);
    assertThat(launched).isEmpty();
    StepObservation seen = handler.observe(context);
    assertThat(seen.outcome()).isEqualTo(StepObservation.Outcome.RUNNING);
    assertThat(seen.message()).contains("support schema version 2 before undoing").contains("not 2");

    supported.add("2");
    assertThat(handler.observe(context).outcome()).isEqualTo(StepObservation.Outcome.MISSING);
    handler.undo(context);
    assertThat(launched).singleElement().satisfies(request -> {
      assertThat(request.jobName()).isEqualTo("orders-currency-contract-undo-2");
      assertThat(request.args()).containsSubsequence("undo", "--to", "2");
    });
  }

  @Test
  void aJobGetsOnlyTheTimeLeftOfItsStep() {
    supported.add("2");

    handler.undo(undoOfContract(T0.plus(Duration.ofMinutes(4))));

    assertThat(launched).singleElement()
        .satisfies(request -> assertThat(request.deadline()).isEqualTo(Duration.ofMinutes(6)));
  }

  /** expand (to 2) succeeded from 1; contract (to 3) failed: its Job {@code job}, its report as given. */
  private static SchemaMigration contractFailed(String job, Integer lockRetries, String before, String after) {
    SchemaMigration m = migration(migrate("expand", "2"), migrate("contract", "3"));
    StepStatus expand = new StepStatus();
    expand.setName("expand");
    expand.setState(StepState.Succeeded);
    expand.setVersionBefore("1");
    expand.setVersionAfter("2");
    expand.setLockRetries(0);
    StepStatus contract = new StepStatus();
    contract.setName("contract");
    contract.setState(StepState.Failed);
    contract.setAttempts(1);
    contract.setJob(job);
    contract.setLockRetries(lockRetries);
    contract.setVersionBefore(before);
    contract.setVersionAfter(after);
    m.setStatus(new dev.lockstep.api.SchemaMigrationStatus());
    m.getStatus().setSteps(new ArrayList<>(List.of(expand, contract)));
    return m;
  }

  private static StepStatus contract(SchemaMigration m) {
    return m.getStatus().getSteps().get(1);
  }

  @Test
  void aMigrateJobKilledBeforeItWroteAResultIsUndoneToWhereTheStepStarted() {
    SchemaMigration m = contractFailed("orders-currency-contract-1", null, null, null);

    assertThat(handler.partlyApplied(m, contract(m))).as("what it committed is not known, so rollback looks").isTrue();
    StepContext context = new StepContext(m, m.getSpec().getSteps().get(1), contract(m), T0);
    assertThat(handler.whyIrreversible(context)).isNull();

    contract(m).setState(StepState.RollingBack);
    contract(m).setUndoAttempts(1);
    handler.undo(context);
    assertThat(launched).singleElement().satisfies(request ->
        assertThat(request.args()).as("the version expand left: the undo reads the real history above it")
            .containsSubsequence("undo", "--to", "2"));
  }

  @Test
  void aMigrateThatReportedItFailedCleanlyOrNeverGotToItsJobIsNotUndone() {
    SchemaMigration reportedClean = contractFailed("orders-currency-contract-1", 0, "2", "2");
    SchemaMigration stoppedAtTheGate = contractFailed(null, null, null, null);
    SchemaMigration olderAttemptsJob = contractFailed("orders-currency-contract-1", null, null, null);
    contract(olderAttemptsJob).setAttempts(2);

    assertThat(handler.partlyApplied(reportedClean, contract(reportedClean))).isFalse();
    assertThat(handler.partlyApplied(stoppedAtTheGate, contract(stoppedAtTheGate))).isFalse();
    assertThat(handler.partlyApplied(olderAttemptsJob, contract(olderAttemptsJob))).isFalse();
  }

  @Test
  void aFirstMigrateKilledWithoutAResultIsAPointOfNoReturnRatherThanAGuess() {
    SchemaMigration m = migration(migrate("expand", "2"));
    StepStatus expand = new StepStatus();
    expand.setName("expand");
    expand.setState(StepState.Failed);
    expand.setAttempts(1);
    expand.setJob("orders-currency-expand-1");
    m.setStatus(new dev.lockstep.api.SchemaMigrationStatus());
    m.getStatus().setSteps(new ArrayList<>(List.of(expand)));

    assertThat(handler.partlyApplied(m, expand)).isTrue();
    assertThat(handler.whyIrreversible(new StepContext(m, m.getSpec().getSteps().get(0), expand, T0)))
        .contains("ended without a result").contains("flyway_schema_history").contains("up to 2");
  }
}
