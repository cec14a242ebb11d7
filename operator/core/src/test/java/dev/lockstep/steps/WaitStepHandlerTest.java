package dev.lockstep.steps;

import static dev.lockstep.reconcile.Migrations.migration;
import static dev.lockstep.reconcile.Migrations.soak;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.PrometheusCheck;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.Step;
import dev.lockstep.api.StepState;
import dev.lockstep.api.StepStatus;
import dev.lockstep.api.WaitStep;
import dev.lockstep.api.Workload;
import dev.lockstep.api.WorkloadKind;
import dev.lockstep.gates.CompatibilityCheck;
import dev.lockstep.gates.Reading;
import dev.lockstep.gates.Rollout;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wait step against fake rollouts, compatibility and Prometheus: it holds until every condition does. */
class WaitStepHandlerTest {

  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

  private boolean rolledOut;
  private boolean compatible;
  private double value;
  private final List<String> asked = new ArrayList<>();

  private final WaitStepHandler handler = new WaitStepHandler(
      (namespace, workload) -> {
        asked.add("rollout " + namespace + "/" + workload.getName());
        return new Rollout(workload.getName(), true, rolledOut, rolledOut ? "rolled out" : "1/2 pods updated");
      },
      (namespace, workload, version) -> {
        asked.add("compatible " + workload.getName() + " " + version);
        return new CompatibilityCheck(workload.getName(), version,
            compatible ? CompatibilityCheck.Verdict.SUPPORTED : CompatibilityCheck.Verdict.UNSUPPORTED,
            List.of(), List.of(), compatible ? "supported" : "a pod of " + workload.getName() + " does not support " + version);
      },
      (url, query) -> Reading.of(value));

  private static StepContext running(SchemaMigration m, Instant startedAt, Instant now) {
    Step step = m.getSpec().getSteps().get(0);
    StepStatus status = new StepStatus();
    status.setName(step.getName());
    status.setState(StepState.Running);
    status.setAttempts(1);
    status.setStartedAt(startedAt.toString());
    return new StepContext(m, step, status, now);
  }

  private static SchemaMigration withWorkload(WaitStep wait) {
    Step step = soak("settle", null);
    step.setWaitFor(wait);
    SchemaMigration m = migration(step);
    Workload orders = new Workload();
    orders.setKind(WorkloadKind.Deployment);
    orders.setName("orders");
    orders.setCompatibility(new dev.lockstep.api.Compatibility());
    m.getSpec().setWorkloads(List.of(orders));
    return m;
  }

  @Test
  void aSoakRunsUntilItsDurationHasPassedSinceTheAttemptStarted() {
    SchemaMigration m = migration(soak("soak", "1m"));

    StepObservation early = handler.observe(running(m, T0, T0.plusSeconds(30)));
    assertThat(early.outcome()).isEqualTo(StepObservation.Outcome.RUNNING);
    assertThat(early.message()).contains("soaking, 30s left of 1m");
    assertThat(early.recheckAfter()).isLessThanOrEqualTo(Duration.ofSeconds(2));

    StepObservation done = handler.observe(running(m, T0, T0.plusSeconds(60)));
    assertThat(done.outcome()).isEqualTo(StepObservation.Outcome.SUCCEEDED);
    assertThat(handler.start(running(m, T0, T0))).isEqualTo(StepEffects.NONE);
  }

  @Test
  void podsReadyWaitsForEveryWorkloadToRollOut() {
    WaitStep wait = new WaitStep();
    wait.setPodsReady(true);
    SchemaMigration m = withWorkload(wait);

    StepObservation waiting = handler.observe(running(m, T0, T0));
    assertThat(waiting.outcome()).isEqualTo(StepObservation.Outcome.RUNNING);
    assertThat(waiting.message()).contains("1/2 pods updated");
    assertThat(asked).containsExactly("rollout shop/orders");

    rolledOut = true;
    assertThat(handler.observe(running(m, T0, T0)).outcome()).isEqualTo(StepObservation.Outcome.SUCCEEDED);
  }

  @Test
  void compatibleWaitsUntilThePodsSupportTheVersion() {
    WaitStep wait = new WaitStep();
    wait.setCompatible("3");
    SchemaMigration m = withWorkload(wait);

    StepObservation waiting = handler.observe(running(m, T0, T0));
    assertThat(waiting.outcome()).isEqualTo(StepObservation.Outcome.RUNNING);
    assertThat(waiting.message()).contains("does not support 3");
    assertThat(asked).containsExactly("compatible orders 3");

    compatible = true;
    assertThat(handler.observe(running(m, T0, T0)).outcome()).isEqualTo(StepObservation.Outcome.SUCCEEDED);
  }

  @Test
  void prometheusMustHoldForItsWindowMeasuredFromTheTimeKeptInStatus() {
    WaitStep wait = new WaitStep();
    PrometheusCheck check = new PrometheusCheck();
    check.setUrl("http://prometheus:9090");
    check.setQuery("error_rate");
    check.setMax(0.01);
    check.setForDuration("1m");
    wait.setPrometheus(check);
    SchemaMigration m = withWorkload(wait);
    value = 0.001;

    StepContext first = running(m, T0, T0);
    StepObservation holding = handler.observe(first);
    assertThat(holding.outcome()).isEqualTo(StepObservation.Outcome.RUNNING);
    assertThat(holding.holdingSince()).isEqualTo(T0);

    StepContext later = running(m, T0, T0.plusSeconds(61));
    later.status().setHoldingSince(T0.toString());
    assertThat(handler.observe(later).outcome()).isEqualTo(StepObservation.Outcome.SUCCEEDED);

    value = 0.5;
    StepObservation breached = handler.observe(later);
    assertThat(breached.outcome()).isEqualTo(StepObservation.Outcome.RUNNING);
    assertThat(breached.holdingSince()).as("the window starts again").isNull();
  }

  @Test
  void undoingAWaitChangesNothing() {
    SchemaMigration m = migration(soak("soak", "1m"));
    StepContext undoing = running(m, T0, T0);
    undoing.status().setState(StepState.RollingBack);

    assertThat(handler.undo(undoing)).isEqualTo(StepEffects.NONE);
    assertThat(handler.observe(undoing).outcome()).isEqualTo(StepObservation.Outcome.SUCCEEDED);
    assertThat(handler.whyIrreversible(undoing)).isNull();
  }
}
