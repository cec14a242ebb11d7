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
}
