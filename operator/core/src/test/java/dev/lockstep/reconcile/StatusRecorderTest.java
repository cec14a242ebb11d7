package dev.lockstep.reconcile;

import dev.lockstep.steps.BuiltInKinds;

import static dev.lockstep.reconcile.Migrations.migrate;
import static dev.lockstep.reconcile.Migrations.migration;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.events.EventRecorder;
import dev.lockstep.queue.QueuePosition;
import dev.lockstep.steps.StepObservation;
import dev.lockstep.steps.StepReport;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusRecorderTest {

  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
  private final MigrationDecider decider = new MigrationDecider(true, BuiltInKinds.handlers());

  private StatusRecorder.Recording step(SchemaMigration m, Observation o, Instant now) {
    StatusRecorder.Recording r = StatusRecorder.record(m, decider.decide(m, o, now), now);
    m.setStatus(r.status());
    return r;
  }

  private static Condition condition(SchemaMigration m, String type) {
    return m.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
  }

  @Test
  void everyPhaseAndStepTransitionIsAnEvent() {
    SchemaMigration m = migration(migrate("expand", "2"));
    Observation valid = Observation.nothing().withValidation(List.of());

    assertThat(step(m, Observation.nothing(), T0).transitions()).extracting(StatusRecorder.Transition::reason)
        .containsExactly(Reason.Pending);
    step(m, Observation.nothing().withQueue(QueuePosition.clear()), T0);
    step(m, valid, T0);
    StatusRecorder.Recording started = step(m, valid, T0);
    assertThat(started.transitions()).singleElement().satisfies(t -> {
      assertThat(t.reason()).isEqualTo(Reason.StepStarted);
      assertThat(t.message()).isEqualTo("step expand started, attempt 1");
    });
    StatusRecorder.Recording done =
        step(m, valid.withStep(StepObservation.succeeded("migrated from 1 to 2", new StepReport("1", "2", 0))), T0);
    assertThat(done.transitions()).extracting(StatusRecorder.Transition::reason).containsExactly(Reason.StepSucceeded);
    StatusRecorder.Recording succeeded = step(m, valid, T0);
    assertThat(succeeded.transitions()).extracting(StatusRecorder.Transition::reason).containsExactly(Reason.Succeeded);
    assertThat(succeeded.transitions().get(0).type()).isEqualTo(EventRecorder.Type.Normal);
  }

  @Test
  void aRepeatedDecisionRecordsNothingNew() {
    SchemaMigration m = migration(migrate("expand", "2"));
    step(m, Observation.nothing(), T0);
    step(m, Observation.nothing().withQueue(QueuePosition.clear()), T0);
    step(m, Observation.nothing().withValidation(List.of("bad")), T0);

    StatusRecorder.Recording again = StatusRecorder.record(m, decider.decide(m, Observation.nothing(), T0.plusSeconds(30)),
        T0.plusSeconds(30));

    assertThat(again.transitions()).isEmpty();
    assertThat(again.changes(m.getStatus())).isFalse();
  }

  @Test
  void conditionsFollowThePhaseAndKeepTheirTransitionTime() {
    SchemaMigration m = migration(migrate("expand", "2"));
    step(m, Observation.nothing(), T0);
    assertThat(condition(m, Conditions.RECONCILING).getStatus()).isEqualTo("True");
    assertThat(condition(m, Conditions.READY).getStatus()).isEqualTo("False");
    assertThat(condition(m, Conditions.STALLED).getStatus()).isEqualTo("False");
    assertThat(condition(m, Conditions.RECONCILING).getObservedGeneration()).isEqualTo(1L);

    step(m, Observation.nothing().withQueue(QueuePosition.clear()), T0.plusSeconds(5));
    assertThat(condition(m, Conditions.RECONCILING).getLastTransitionTime()).isEqualTo(T0.toString());

    step(m, Observation.nothing().withValidation(List.of("Secret orders-db does not exist")), T0.plusSeconds(9));
    assertThat(m.getStatus().getPhase()).isEqualTo(Phase.Failed);
    Condition stalled = condition(m, Conditions.STALLED);
    assertThat(stalled.getStatus()).isEqualTo("True");
    assertThat(stalled.getReason()).isEqualTo("ValidationFailed");
    assertThat(stalled.getMessage()).contains("Secret orders-db does not exist");
    assertThat(stalled.getLastTransitionTime()).isEqualTo(T0.plusSeconds(9).toString());
    assertThat(condition(m, Conditions.RECONCILING).getStatus()).isEqualTo("False");
  }
}
