package dev.lockstep.reconcile;

import static dev.lockstep.reconcile.Migrations.migrate;
import static dev.lockstep.reconcile.Migrations.migration;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.Annotations;
import dev.lockstep.api.FailureReason;
import dev.lockstep.api.Phase;
import dev.lockstep.api.RollbackCause;
import dev.lockstep.api.RollbackPolicy;
import dev.lockstep.api.RollbackSpec;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.StepState;
import dev.lockstep.gates.GuardReading;
import dev.lockstep.queue.QueuePosition;
import dev.lockstep.steps.BuiltInKinds;
import dev.lockstep.steps.StepObservation;
import dev.lockstep.steps.StepReport;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The failed step and the rollback's cause are status fields, and the decider acts on them, not on messages. */
class CausesAsFieldsTest {

  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
  private static final Observation VALID = Observation.nothing().withValidation(List.of());

  private final MigrationDecider decider = new MigrationDecider(true, BuiltInKinds.handlers());

  private Decision next(SchemaMigration m, Observation observed) {
    return next(m, observed, T0);
  }

  private Decision next(SchemaMigration m, Observation observed, Instant now) {
    Decision d = decider.decide(m, observed, now);
    m.setStatus(StatusRecorder.record(m, d, now).status());
    return d;
  }

  /** expand succeeded, contract failed; with {@code manual} nothing rolls back by itself. */
  private SchemaMigration contractFailed(boolean manual) {
    SchemaMigration m = migration(migrate("expand", "2"), migrate("contract", "3"));
    if (manual) {
      RollbackSpec rollback = new RollbackSpec();
      rollback.setPolicy(RollbackPolicy.Manual);
      m.getSpec().setRollback(rollback);
    }
    next(m, Observation.nothing());
    next(m, Observation.nothing().withQueue(QueuePosition.clear()));
    next(m, VALID);
    next(m, VALID);
    next(m, VALID.withStep(StepObservation.succeeded("migrated", new StepReport("1", "2", 0))));
    next(m, VALID);
    next(m, VALID.withStep(StepObservation.failed("V3 failed: boom", new StepReport("2", "2", 0))));
    return m;
  }

  @Test
  void aStepThatFailedWithoutRollbackIsRecordedAsTheFailure() {
    SchemaMigration m = contractFailed(true);

    assertThat(m.getStatus().getPhase()).isEqualTo(Phase.Failed);
    assertThat(m.getStatus().getFailure().getReason()).isEqualTo(FailureReason.StepFailed);
    assertThat(m.getStatus().getFailure().getStep()).isEqualTo("contract");
    assertThat(m.getStatus().getFailure().getMessage()).isEqualTo("step contract failed: V3 failed: boom");
    assertThat(m.getStatus().getMessage()).startsWith("step contract failed: V3 failed: boom; annotate");
  }

  @Test
  void aFailedStepThatRollsBackRecordsTheCauseAndTheStep() {
    SchemaMigration m = contractFailed(false);

    assertThat(m.getStatus().getPhase()).isEqualTo(Phase.RollingBack);
    assertThat(m.getStatus().getRollback().getCause()).isEqualTo(RollbackCause.StepFailed);
    assertThat(m.getStatus().getRollback().getFromStep()).isEqualTo("contract");
    assertThat(m.getStatus().getFailure()).isNull();
  }

  @Test
  void abortingAFailedMigrationTakesTheCauseFromTheFailureField() {
    SchemaMigration m = contractFailed(true);
    // The message may say anything: the decider does not read it back.
    m.getStatus().setMessage("edited by someone; with a semicolon");
    m.getMetadata().getAnnotations().put(Annotations.ABORT, "true");

    Decision d = next(m, Observation.nothing());

    assertThat(d.status().getPhase()).isEqualTo(Phase.RollingBack);
    assertThat(d.status().getRollback().getCause()).isEqualTo(RollbackCause.Aborted);
    assertThat(d.status().getRollback().getFromStep()).isEqualTo("contract");
    assertThat(d.status().getRollbackReason())
        .isEqualTo("step contract failed: V3 failed: boom, then aborted by " + Annotations.ABORT);
    assertThat(d.status().getFailure()).isNull();
  }

  @Test
  void retryingClearsTheFailure() {
    SchemaMigration m = contractFailed(true);
    m.getMetadata().getAnnotations().put(Annotations.RETRY, "contract");

    Decision d = next(m, Observation.nothing());

    assertThat(d.action()).isEqualTo(new Action.ClearAnnotation(Annotations.RETRY));
    assertThat(d.health().reason()).isEqualTo(Reason.Retrying);
    assertThat(d.status().getFailure()).isNull();
    assertThat(d.status().getPhase()).isEqualTo(Phase.Progressing);
  }

  @Test
  void aRetryNamingAnotherStepDoesNothing() {
    SchemaMigration m = contractFailed(true);
    m.getMetadata().getAnnotations().put(Annotations.RETRY, "expand");

    Decision d = next(m, Observation.nothing());

    assertThat(d.action()).isEqualTo(Action.NONE);
    assertThat(d.health().reason()).isEqualTo(Reason.StepFailed);
    assertThat(d.status().getPhase()).isEqualTo(Phase.Failed);
  }

  /** A Failed status written before status.failure existed: the Ready reason and the step states stand in. */
  @Test
  void aStatusWithoutTheFailureFieldStillRetries() {
    SchemaMigration m = contractFailed(true);
    m.getStatus().setFailure(null);
    m.getMetadata().getAnnotations().put(Annotations.RETRY, "contract");

    Decision d = next(m, Observation.nothing());

    assertThat(d.health().reason()).isEqualTo(Reason.Retrying);
    assertThat(m.getStatus().getSteps().get(1).getState()).isEqualTo(StepState.Pending);
  }

  @Test
  void aStatusWithoutTheFailureFieldGainsIt() {
    SchemaMigration m = contractFailed(true);
    m.getStatus().setFailure(null);

    Decision d = next(m, Observation.nothing());

    assertThat(d.health().reason()).isEqualTo(Reason.StepFailed);
    assertThat(d.status().getFailure().getReason()).isEqualTo(FailureReason.StepFailed);
    assertThat(d.status().getFailure().getStep()).isEqualTo("contract");
    assertThat(d.status().getFailure().getMessage()).isEqualTo("step contract failed: V3 failed: boom");
  }

  @Test
  void aFailedStatusWithNoCauseAtAllStaysFailed() {
    SchemaMigration m = contractFailed(true);
    m.getStatus().setFailure(null);
    m.getStatus().setConditions(null);
    m.getMetadata().getAnnotations().put(Annotations.RETRY, "contract");

    Decision d = next(m, Observation.nothing());

    assertThat(d.action()).isEqualTo(Action.NONE);
    assertThat(d.health().reason()).isEqualTo(Reason.Failed);
    assertThat(d.status().getPhase()).isEqualTo(Phase.Failed);
  }

  @Test
  void aFailedUndoIsRecordedWithItsStep() {
    SchemaMigration m = contractFailed(false);
    next(m, Observation.nothing());
    next(m, Observation.nothing().withStep(StepObservation.failed("U2 failed: lock timeout", null)));

    assertThat(m.getStatus().getPhase()).isEqualTo(Phase.Failed);
    assertThat(m.getStatus().getFailure().getReason()).isEqualTo(FailureReason.UndoFailed);
    assertThat(m.getStatus().getFailure().getStep()).isEqualTo("expand");
    assertThat(m.getStatus().getRollback().getCause()).isEqualTo(RollbackCause.StepFailed);
  }

  @Test
  void anInvalidSpecIsAValidationFailureWithNoStep() {
    SchemaMigration m = migration(migrate("expand", "2"));
    next(m, Observation.nothing());
    next(m, Observation.nothing().withQueue(QueuePosition.clear()));

    next(m, Observation.nothing().withValidation(List.of("spec.steps[0].migrate.to: not a version")));

    assertThat(m.getStatus().getFailure().getReason()).isEqualTo(FailureReason.ValidationFailed);
    assertThat(m.getStatus().getFailure().getStep()).isNull();
  }

  @Test
  void aBreachedGuardRecordsItsCause() {
    SchemaMigration m = contractFailed(true);
    m.getMetadata().getAnnotations().put(Annotations.RETRY, "contract");
    m.getSpec().setRollback(null);
    next(m, Observation.nothing());

    // A breach counts once seen on three consecutive checks (GuardConfirmation).
    Observation breached = VALID.withGuards(new GuardReading("podsReady: Deployment/orders: 1/2 ready", null));
    next(m, breached, T0);
    next(m, breached, T0.plusSeconds(2));
    Decision d = next(m, breached, T0.plusSeconds(4));

    assertThat(d.status().getPhase()).isEqualTo(Phase.RollingBack);
    assertThat(d.status().getRollback().getCause()).isEqualTo(RollbackCause.GuardBreached);
  }
}
