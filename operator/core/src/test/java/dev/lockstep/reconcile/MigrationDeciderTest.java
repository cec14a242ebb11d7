package dev.lockstep.reconcile;

import dev.lockstep.steps.BuiltInKinds;

import static dev.lockstep.reconcile.Migrations.approved;
import static dev.lockstep.reconcile.Migrations.backfill;
import static dev.lockstep.reconcile.Migrations.migrate;
import static dev.lockstep.reconcile.Migrations.migration;
import static dev.lockstep.reconcile.Migrations.soak;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.Annotations;
import dev.lockstep.api.FailureReason;
import dev.lockstep.api.Phase;
import dev.lockstep.api.RollbackPolicy;
import dev.lockstep.api.RollbackSpec;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.StepState;
import dev.lockstep.api.StepStatus;
import dev.lockstep.gates.GuardReading;
import dev.lockstep.queue.QueuePosition;
import dev.lockstep.steps.Hold;
import dev.lockstep.events.EventRecorder;
import dev.lockstep.steps.StepObservation;
import dev.lockstep.api.RepairStatus;
import io.fabric8.kubernetes.api.model.Condition;
import dev.lockstep.steps.StepReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MigrationDeciderTest {

  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
  private static final List<String> VALID = List.of();
  private static final Observation CLEAR = Observation.nothing().withQueue(QueuePosition.clear());

  private final MigrationDecider decider = new MigrationDecider(true, BuiltInKinds.handlers());

  /** Runs decisions the way the reconciler does: each one's status becomes the next one's input. */
  private final class Loop {
    final SchemaMigration migration;
    Instant now = T0;
    Decision last;

    Loop(SchemaMigration migration) {
      this.migration = migration;
    }

    Decision next(Observation observation) {
      last = decider.decide(migration, observation, now);
      migration.setStatus(StatusRecorder.record(migration, last, now).status());
      return last;
    }

    Decision validated() {
      return next(Observation.nothing().withValidation(VALID));
    }

    Decision seeing(StepObservation step) {
      return next(Observation.nothing().withValidation(VALID).withStep(step));
    }

    /** Drives a fresh migration to its first started step. */
    Loop started() {
      next(Observation.nothing());
      next(Observation.nothing().withQueue(QueuePosition.clear()));
      validated();
      validated();
      return this;
    }

    StepStatus step(String name) {
      return migration.getStatus().getSteps().stream()
          .filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
    }

    Phase phase() {
      return migration.getStatus().getPhase();
    }

    void annotate(String key, String value) {
      migration.getMetadata().getAnnotations().put(key, value);
    }
  }

  private static StepObservation migrated(String from, String to) {
    return StepObservation.succeeded("migrated", new StepReport(from, to, 0));
  }

  private static StepObservation running() {
    return StepObservation.running("Job is running", null, Duration.ofSeconds(10));
  }

  @Nested
  class Lifecycle {

    @Test
    void walksPendingValidatingProgressingInOrder() {
      Loop loop = new Loop(migration(migrate("expand", "2")));

      assertThat(loop.next(Observation.nothing()).status().getPhase()).isEqualTo(Phase.Pending);
      assertThat(loop.last.requeueAfter()).isEqualTo(Duration.ZERO);
      assertThat(loop.next(CLEAR).status().getPhase()).isEqualTo(Phase.Validating);
      assertThat(loop.validated().status().getPhase()).isEqualTo(Phase.Progressing);
      assertThat(loop.migration.getStatus().getObservedGeneration()).isEqualTo(1L);
      assertThat(loop.step("expand").getState()).isEqualTo(StepState.Pending);
    }

    @Test
    void validatingWaitsForValidationToHaveRun() {
      Loop loop = new Loop(migration(migrate("expand", "2")));
      loop.next(Observation.nothing());
      loop.next(CLEAR);

      Decision d = loop.next(Observation.nothing());

      assertThat(d.status().getPhase()).isEqualTo(Phase.Validating);
      assertThat(d.action()).isEqualTo(Action.NONE);
    }

    @Test
    void invalidSpecFailsWithTheProblemsAndStartsNothing() {
      Loop loop = new Loop(migration(migrate("expand", "2")));
      loop.next(Observation.nothing());
      loop.next(CLEAR);

      Decision d = loop.next(Observation.nothing().withValidation(List.of("Secret orders-db does not exist")));

      assertThat(d.status().getPhase()).isEqualTo(Phase.Failed);
      assertThat(d.action()).isEqualTo(Action.NONE);
      assertThat(d.health().stalled()).isTrue();
      assertThat(d.health().reason()).isEqualTo(Reason.ValidationFailed);
      assertThat(d.status().getMessage()).contains("Secret orders-db does not exist");
      assertThat(loop.step("expand").getState()).isEqualTo(StepState.Pending);
    }

    @Test
    void aFixedSpecAfterValidationFailureIsValidatedAgain() {
      Loop loop = new Loop(migration(migrate("expand", "2")));
      loop.next(Observation.nothing());
      loop.next(CLEAR);
      loop.next(Observation.nothing().withValidation(List.of("bad")));
      loop.migration.getMetadata().setGeneration(2L);

      Decision d = loop.next(Observation.nothing().withValidation(VALID));

      assertThat(d.status().getPhase()).isEqualTo(Phase.Pending);
      assertThat(loop.next(CLEAR).status().getPhase()).isEqualTo(Phase.Validating);
    }

    @Test
    void aFailedValidationStaysFailedWithoutAnEdit() {
      Loop loop = new Loop(migration(migrate("expand", "2")));
      loop.next(Observation.nothing());
      loop.next(CLEAR);
      loop.next(Observation.nothing().withValidation(List.of("bad")));

      Decision d = loop.next(Observation.nothing());

      assertThat(d.status().getPhase()).isEqualTo(Phase.Failed);
      assertThat(d.health().reason()).isEqualTo(Reason.ValidationFailed);
      assertThat(d.requeueAfter()).isNull();
    }
  }

  @Nested
  class Queue {

    private Loop pending() {
      Loop loop = new Loop(migration(migrate("expand", "2")));
      loop.next(Observation.nothing());
      return loop;
    }

    private Decision seeing(Loop loop, QueuePosition queue) {
      return loop.next(Observation.nothing().withQueue(queue));
    }

    @Test
    void aMissingDependencyFailsValidationNamingIt() {
      Decision d = seeing(pending(), new QueuePosition(Map.of(), List.of("orders-add-index"), List.of(), null, null));

      assertThat(d.status().getPhase()).isEqualTo(Phase.Failed);
      assertThat(d.health().reason()).isEqualTo(Reason.ValidationFailed);
      assertThat(d.status().getMessage()).contains("spec.dependsOn names orders-add-index")
          .contains("not a SchemaMigration in namespace shop");
    }

    @Test
    void aDependencyCycleFailsValidationShowingTheCycle() {
      Decision d = seeing(pending(),
          new QueuePosition(Map.of(), List.of(), List.of("orders-currency", "b", "orders-currency"), null, null));

      assertThat(d.status().getPhase()).isEqualTo(Phase.Failed);
      assertThat(d.status().getMessage()).contains("cycle: orders-currency -> b -> orders-currency");
    }

    @Test
    void aFailedDependencyKeepsItQueuedAndStalled() {
      Decision d = seeing(pending(), new QueuePosition(Map.of("a", Phase.RolledBack), List.of(), List.of(), null, null));

      assertThat(d.status().getPhase()).isEqualTo(Phase.Queued);
      assertThat(d.health().stalled()).isTrue();
      assertThat(d.health().reason()).isEqualTo(Reason.DependencyFailed);
      assertThat(d.status().getMessage()).contains("a (RolledBack) did not succeed").contains("will not run on its own");
    }

    @Test
    void anUnfinishedDependencyIsWaitedFor() {
      Decision d = seeing(pending(), new QueuePosition(Map.of("a", Phase.Progressing), List.of(), List.of(), null, null));

      assertThat(d.status().getPhase()).isEqualTo(Phase.Queued);
      assertThat(d.health().stalled()).isFalse();
      assertThat(d.status().getMessage()).isEqualTo("waiting for dependency a (Progressing)");
      assertThat(d.requeueAfter()).isPositive();
    }

    @Test
    void aDatabaseHeldByAnotherMigrationIsWaitedFor() {
      Decision d = seeing(pending(),
          new QueuePosition(Map.of("a", Phase.Succeeded), List.of(), List.of(), "orders-add-index", null));

      assertThat(d.status().getPhase()).isEqualTo(Phase.Queued);
      assertThat(d.status().getMessage()).isEqualTo("waiting for database orders: migration orders-add-index is changing it");
    }

    @Test
    void anOlderMigrationOfTheSameDatabaseGoesFirst() {
      Decision d = seeing(pending(), new QueuePosition(Map.of(), List.of(), List.of(), null, "older"));

      assertThat(d.status().getPhase()).isEqualTo(Phase.Queued);
      assertThat(d.status().getMessage()).contains("older was queued first");
    }

    @Test
    void aClearQueueMovesOnToValidation() {
      Loop loop = pending();
      seeing(loop, new QueuePosition(Map.of("a", Phase.Progressing), List.of(), List.of(), null, null));

      Decision d = seeing(loop, new QueuePosition(Map.of("a", Phase.Succeeded), List.of(), List.of(), null, null));

      assertThat(d.status().getPhase()).isEqualTo(Phase.Validating);
    }
  }

  @Nested
  class Steps {

    @Test
    void startsTheFirstStepAsAttemptOne() {
      Loop loop = new Loop(migration(migrate("expand", "2"), migrate("contract", "3"))).started();

      assertThat(loop.last.action()).isEqualTo(new Action.StartStep("expand"));
      StepStatus expand = loop.step("expand");
      assertThat(expand.getState()).isEqualTo(StepState.Running);
      assertThat(expand.getAttempts()).isEqualTo(1);
      assertThat(expand.getStartedAt()).isEqualTo(T0.toString());
      assertThat(expand.getSpecHash()).isNotBlank();
      assertThat(loop.migration.getStatus().getCurrentStep()).isEqualTo("expand");
      assertThat(loop.step("contract").getState()).isEqualTo(StepState.Pending);
    }

    @Test
    void aRunningStepIsWatchedUntilItsRecheck() {
      Loop loop = new Loop(migration(migrate("expand", "2"))).started();

      Decision d = loop.seeing(StepObservation.running("Job expand-1 is running", "1/3", Duration.ofSeconds(10)));

      assertThat(d.action()).isEqualTo(Action.NONE);
      assertThat(d.requeueAfter()).isEqualTo(Duration.ofSeconds(10));
      assertThat(loop.step("expand").getMessage()).isEqualTo("Job expand-1 is running");
      assertThat(loop.step("expand").getProgress()).isEqualTo("1/3");
    }

    @Test
    void aSucceededStepRecordsTheSchemaVersionAndTheNextStepStarts() {
      Loop loop = new Loop(migration(migrate("expand", "2"), migrate("contract", "3"))).started();

      loop.seeing(migrated("1", "2"));

      assertThat(loop.step("expand").getState()).isEqualTo(StepState.Succeeded);
      assertThat(loop.step("expand").getVersionBefore()).isEqualTo("1");
      assertThat(loop.step("expand").getFinishedAt()).isEqualTo(T0.toString());
      assertThat(loop.migration.getStatus().getSchemaVersion()).isEqualTo("2");
      assertThat(loop.last.requeueAfter()).isEqualTo(Duration.ZERO);

      Decision d = loop.validated();

      assertThat(d.action()).isEqualTo(new Action.StartStep("contract"));
      assertThat(loop.migration.getStatus().getCurrentStep()).isEqualTo("contract");
    }

    @Test
    void allStepsSucceededMeansSucceeded() {
      Loop loop = new Loop(migration(migrate("expand", "2"))).started();
      loop.seeing(migrated("1", "2"));

      Decision d = loop.validated();

      assertThat(d.status().getPhase()).isEqualTo(Phase.Succeeded);
      assertThat(d.requeueAfter()).isNull();
      assertThat(d.health().stalled()).isFalse();
      assertThat(loop.migration.getStatus().getConditions())
          .filteredOn(c -> c.getType().equals(Conditions.READY))
          .singleElement()
          .satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"));
    }

    @Test
    void aStepWhoseJobVanishedIsStartedAgainAsTheSameAttempt() {
      Loop loop = new Loop(migration(migrate("expand", "2"))).started();

      Decision d = loop.seeing(StepObservation.missing("Job is gone"));

      assertThat(d.action()).isEqualTo(new Action.StartStep("expand"));
      assertThat(loop.step("expand").getAttempts()).isEqualTo(1);
      assertThat(loop.step("expand").getState()).isEqualTo(StepState.Running);
    }

    @Test
    void aStepPastItsTimeoutFails() {
      SchemaMigration m = migration(migrate("expand", "2"));
      m.getSpec().getSteps().get(0).setTimeout("5m");
      Loop loop = new Loop(m).started();
      loop.now = T0.plus(Duration.ofMinutes(5));

      Decision d = loop.seeing(running());

      assertThat(loop.step("expand").getState()).isEqualTo(StepState.Failed);
      assertThat(loop.step("expand").getMessage()).contains("timeout of 5m");
      assertThat(d.status().getPhase()).isEqualTo(Phase.Failed);
    }

    @Test
    void aRunningStepIsRecheckedNoLaterThanItsDeadline() {
      SchemaMigration m = migration(migrate("expand", "2"));
      m.getSpec().getSteps().get(0).setTimeout("1m");
      Loop loop = new Loop(m).started();
      loop.now = T0.plusSeconds(55);

      Decision d = loop.seeing(running());

      assertThat(d.requeueAfter()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aFailedFirstStepThatChangedNothingEndsFailedWithItsError() {
      Loop loop = new Loop(migration(migrate("expand", "2"), migrate("contract", "3"))).started();

      Decision d = loop.seeing(StepObservation.failed(
          "V2__add_currency.sql failed: ERROR: syntax error (SQLSTATE 42601)", new StepReport("1", "1", 0)));

      assertThat(d.status().getPhase()).isEqualTo(Phase.Failed);
      assertThat(d.health().reason()).isEqualTo(Reason.StepFailed);
      assertThat(d.status().getMessage()).contains("step expand failed").contains("SQLSTATE 42601");
      assertThat(loop.step("expand").getMessage()).contains("syntax error");
      assertThat(loop.step("contract").getState()).isEqualTo(StepState.Pending);

      Decision after = loop.next(Observation.nothing());
      assertThat(after.action()).isEqualTo(Action.NONE);
      assertThat(after.health().reason()).isEqualTo(Reason.StepFailed);
    }
  }

  @Nested
  class Rollback {

    private Loop failedAtContract(SchemaMigration m) {
      Loop loop = new Loop(m).started();
      loop.seeing(migrated("1", "2"));
      loop.validated();
      loop.seeing(StepObservation.succeeded("soaked", null));
      loop.validated();
      loop.seeing(StepObservation.failed("V3 failed: boom", new StepReport("2", "2", 0)));
      return loop;
    }

    private SchemaMigration threeSteps() {
      return migration(migrate("expand", "2"), soak("soak", "1m"), migrate("contract", "3"));
    }

    @Test
    void aFailedStepRollsCompletedStepsBackNewestFirst() {
      Loop loop = failedAtContract(threeSteps());
      assertThat(loop.phase()).isEqualTo(Phase.RollingBack);
      assertThat(loop.migration.getStatus().getRollbackReason()).contains("step contract failed: V3 failed: boom");

      assertThat(loop.next(Observation.nothing()).action()).isEqualTo(new Action.UndoStep("soak"));
      assertThat(loop.step("soak").getState()).isEqualTo(StepState.RollingBack);
      loop.next(Observation.nothing().withStep(StepObservation.succeeded("nothing to undo", null)));
      assertThat(loop.step("soak").getState()).isEqualTo(StepState.RolledBack);

      assertThat(loop.next(Observation.nothing()).action()).isEqualTo(new Action.UndoStep("expand"));
      loop.next(Observation.nothing().withStep(StepObservation.succeeded("undid", new StepReport("2", "1", 0))));
      assertThat(loop.step("expand").getState()).isEqualTo(StepState.RolledBack);
      assertThat(loop.migration.getStatus().getSchemaVersion()).isEqualTo("1");

      Decision d = loop.next(Observation.nothing());
      assertThat(d.status().getPhase()).isEqualTo(Phase.RolledBack);
      assertThat(d.health().stalled()).isTrue();
      assertThat(d.status().getMessage()).contains("rolled back because step contract failed");
    }

    @Test
    void anUndoStillRunningIsWaitedFor() {
      Loop loop = failedAtContract(threeSteps());
      loop.next(Observation.nothing());

      Decision d = loop.next(Observation.nothing().withStep(running()));

      assertThat(d.action()).isEqualTo(Action.NONE);
      assertThat(loop.step("soak").getState()).isEqualTo(StepState.RollingBack);
    }

    @Test
    void aPartlyAppliedFailedMigrateIsUndoneToo() {
      Loop loop = new Loop(migration(migrate("expand", "2"), migrate("contract", "4"))).started();
      loop.seeing(migrated("1", "2"));
      loop.validated();

      loop.seeing(StepObservation.failed("V4 failed", new StepReport("2", "3", 0)));

      assertThat(loop.phase()).isEqualTo(Phase.RollingBack);
      assertThat(loop.next(Observation.nothing()).action()).isEqualTo(new Action.UndoStep("contract"));
    }

    @Test
    void aStepWithoutUndoIsAPointOfNoReturn() {
      Loop loop = failedAtContract(threeSteps());
      loop.next(Observation.nothing());
      loop.next(Observation.nothing().withStep(StepObservation.succeeded("nothing to undo", null)));

      Decision d = loop.next(Observation.nothing().withIrreversible("step expand applied version 2 with no undo script"));

      assertThat(d.status().getPhase()).isEqualTo(Phase.Failed);
      assertThat(d.action()).isEqualTo(Action.NONE);
      assertThat(d.health().reason()).isEqualTo(Reason.PointOfNoReturn);
      assertThat(d.status().getMessage()).contains("rollback stopped at step expand").contains("no undo script");
      assertThat(loop.step("expand").getState()).isEqualTo(StepState.Succeeded);
    }

    @Test
    void aFailedUndoStopsTheRollback() {
      Loop loop = failedAtContract(threeSteps());
      loop.next(Observation.nothing());
      loop.next(Observation.nothing().withStep(StepObservation.succeeded("nothing to undo", null)));
      loop.next(Observation.nothing());

      Decision d = loop.next(Observation.nothing().withStep(StepObservation.failed("U2 failed: boom", null)));

      assertThat(d.status().getPhase()).isEqualTo(Phase.Failed);
      assertThat(d.health().reason()).isEqualTo(Reason.UndoFailed);
      assertThat(loop.step("expand").getState()).isEqualTo(StepState.UndoFailed);
    }

    @Test
    void aVanishedUndoJobIsStartedAgain() {
      Loop loop = failedAtContract(threeSteps());
      loop.next(Observation.nothing());

      Decision d = loop.next(Observation.nothing().withStep(StepObservation.missing("gone")));

      assertThat(d.action()).isEqualTo(new Action.UndoStep("soak"));
    }

    @Test
    void theManualPolicyStopsAtTheFailureInsteadOfRollingBack() {
      SchemaMigration m = threeSteps();
      RollbackSpec rollback = new RollbackSpec();
      rollback.setPolicy(RollbackPolicy.Manual);
      m.getSpec().setRollback(rollback);

      Loop loop = failedAtContract(m);

      assertThat(loop.phase()).isEqualTo(Phase.Failed);
      assertThat(loop.step("expand").getState()).isEqualTo(StepState.Succeeded);
    }

    @Test
    void underTheManualPolicyTheRetryAnnotationRetriesTheFailedStep() {
      SchemaMigration m = threeSteps();
      RollbackSpec rollback = new RollbackSpec();
      rollback.setPolicy(RollbackPolicy.Manual);
      m.getSpec().setRollback(rollback);
      Loop loop = failedAtContract(m);
      assertThat(loop.migration.getStatus().getMessage()).contains("annotate lockstep.dev/retry=contract");
      loop.annotate(Annotations.RETRY, "soak");
      assertThat(loop.next(Observation.nothing()).status().getPhase()).isEqualTo(Phase.Failed);

      loop.annotate(Annotations.RETRY, "contract");
      Decision retry = loop.next(Observation.nothing());

      assertThat(retry.status().getPhase()).isEqualTo(Phase.Progressing);
      assertThat(retry.action()).isEqualTo(new Action.ClearAnnotation(Annotations.RETRY));
      assertThat(loop.step("contract").getState()).isEqualTo(StepState.Pending);
      Decision again = loop.validated();
      assertThat(again.action()).isEqualTo(new Action.StartStep("contract"));
      assertThat(loop.step("contract").getAttempts()).isEqualTo(2);
    }

    @Test
    void underTheManualPolicyTheAbortAnnotationRollsBack() {
      SchemaMigration m = threeSteps();
      RollbackSpec rollback = new RollbackSpec();
      rollback.setPolicy(RollbackPolicy.Manual);
      m.getSpec().setRollback(rollback);
      Loop loop = failedAtContract(m);

      loop.annotate(Annotations.ABORT, "true");
      Decision d = loop.next(Observation.nothing());

      assertThat(d.status().getPhase()).isEqualTo(Phase.RollingBack);
      assertThat(d.status().getRollbackReason()).contains("step contract failed").contains("aborted by");
    }

    @Test
    void withoutTheRollbackFeatureAFailureEndsFailed() {
      SchemaMigration m = threeSteps();
      MigrationDecider noRollback = new MigrationDecider(false, BuiltInKinds.handlers());
      Loop loop = failedAtContract(m);
      // Replay the last decision with the feature off.
      loop.step("contract").setState(StepState.Running);
      loop.migration.getStatus().setPhase(Phase.Progressing);

      Decision d = noRollback.decide(loop.migration, Observation.nothing().withValidation(VALID)
          .withStep(StepObservation.failed("boom", null)), T0);

      assertThat(d.status().getPhase()).isEqualTo(Phase.Failed);
    }

    @Test
    void theAbortAnnotationRollsBackWhatIsDone() {
      Loop loop = new Loop(threeSteps()).started();
      loop.seeing(migrated("1", "2"));
      loop.annotate(Annotations.ABORT, "true");

      Decision d = loop.validated();

      assertThat(d.status().getPhase()).isEqualTo(Phase.RollingBack);
      assertThat(d.status().getRollbackReason()).contains(Annotations.ABORT);
      assertThat(loop.next(Observation.nothing()).action()).isEqualTo(new Action.UndoStep("expand"));
    }
  }

  @Nested
  class GuardBreaches {

    private Observation breached(String what) {
      return Observation.nothing().withValidation(VALID).withGuards(new GuardReading(what, null));
    }

    /** A breach seen often enough to count: three consecutive checks, two seconds apart. */
    private Decision confirmed(Loop loop, Observation observation) {
      loop.next(observation);
      loop.now = loop.now.plusSeconds(2);
      loop.next(observation);
      loop.now = loop.now.plusSeconds(2);
      return loop.next(observation);
    }

    @Test
    void aBreachSeenOnceIsNotActedOnAndAHoldingCheckStartsTheCountAgain() {
      Loop loop = new Loop(migration(migrate("expand", "2"), migrate("contract", "3"))).started();
      loop.seeing(migrated("1", "2"));

      Decision once = loop.next(breached("compatibility: orders-abc supports 1-1, not 2"));

      assertThat(once.status().getPhase()).isEqualTo(Phase.Progressing);
      assertThat(once.action()).as("nothing starts while a breach is unconfirmed").isEqualTo(Action.NONE);
      assertThat(once.health().reason()).isEqualTo(Reason.GuardBreachUnconfirmed);
      assertThat(once.status().getMessage()).contains("seen on 1 of 3 consecutive checks", "orders-abc");
      assertThat(once.requeueAfter()).isLessThanOrEqualTo(Duration.ofSeconds(2));

      loop.now = loop.now.plusSeconds(2);
      Decision clear = loop.next(Observation.nothing().withValidation(VALID).withGuards(GuardReading.HOLDING));
      assertThat(clear.status().getGuardBreachChecks()).isNull();
      assertThat(clear.action()).isEqualTo(new Action.StartStep("contract"));

      loop.now = loop.now.plusSeconds(2);
      Decision again = loop.next(breached("compatibility: orders-abc supports 1-1, not 2").withStep(running()));
      assertThat(again.status().getPhase()).isEqualTo(Phase.Progressing);
      assertThat(again.status().getGuardBreachChecks()).isEqualTo(1);
      assertThat(loop.step("contract").getState()).isEqualTo(StepState.Running);
    }

    @Test
    void threeChecksAtOnceAreNotEnoughWithoutTheMinimumSpan() {
      Loop loop = new Loop(migration(migrate("expand", "2"), migrate("contract", "3"))).started();
      loop.seeing(migrated("1", "2"));

      loop.next(breached("podsReady: down"));
      loop.next(breached("podsReady: down"));
      Decision third = loop.next(breached("podsReady: down"));
      assertThat(third.status().getPhase()).isEqualTo(Phase.Progressing);
      assertThat(third.status().getGuardBreachChecks()).isEqualTo(3);

      loop.now = loop.now.plusSeconds(4);
      assertThat(loop.next(breached("podsReady: down")).status().getPhase()).isEqualTo(Phase.RollingBack);
    }

    @Test
    void aBreachAfterAStepRollsBack() {
      Loop loop = new Loop(migration(migrate("expand", "2"), soak("soak", "5m"), migrate("contract", "3"))).started();
      loop.seeing(migrated("1", "2"));

      Decision d = confirmed(loop, breached("podsReady: Deployment/orders: 1/2 ready"));

      assertThat(d.status().getPhase()).isEqualTo(Phase.RollingBack);
      assertThat(d.status().getRollbackReason()).isEqualTo("guard breached: podsReady: Deployment/orders: 1/2 ready");
    }

    @Test
    void aRunningJobFinishesBeforeTheBreachIsActedOn() {
      Loop loop = new Loop(migration(migrate("expand", "2"), migrate("contract", "3"))).started();

      Decision d = confirmed(loop, breached("podsReady: down").withStep(running())
          .withActiveJobs(List.of("orders-currency-expand-1")));
      assertThat(d.status().getPhase()).isEqualTo(Phase.Progressing);
      assertThat(loop.step("expand").getState()).isEqualTo(StepState.Running);

      loop.next(breached("podsReady: down").withStep(migrated("1", "2")));
      assertThat(loop.next(breached("podsReady: down")).status().getPhase()).isEqualTo(Phase.RollingBack);
    }

    @Test
    void aRunningWaitIsStoppedAtOnce() {
      Loop loop = new Loop(migration(migrate("expand", "2"), soak("soak", "5m"))).started();
      loop.seeing(migrated("1", "2"));
      loop.validated();
      assertThat(loop.step("soak").getState()).isEqualTo(StepState.Running);

      Decision d = confirmed(loop, breached("prometheus: error rate 0.2 above 0.01 for 1m").withStep(running()));

      assertThat(loop.step("soak").getState()).isEqualTo(StepState.Failed);
      assertThat(loop.step("soak").getMessage()).contains("guard");
      assertThat(d.status().getPhase()).isEqualTo(Phase.RollingBack);
      assertThat(loop.next(Observation.nothing()).action()).isEqualTo(new Action.UndoStep("expand"));
    }

    @Test
    void underTheManualPolicyABreachPausesNamingItAndClearsByItself() {
      SchemaMigration m = migration(migrate("expand", "2"), migrate("contract", "3"));
      RollbackSpec manual = new RollbackSpec();
      manual.setPolicy(RollbackPolicy.Manual);
      m.getSpec().setRollback(manual);
      Loop loop = new Loop(m).started();
      loop.seeing(migrated("1", "2"));

      Decision paused = confirmed(loop, breached("compatibility: orders-abc supports 1-1, not 2"));

      assertThat(paused.status().getPhase()).isEqualTo(Phase.Paused);
      assertThat(paused.health().stalled()).isTrue();
      assertThat(paused.health().reason()).isEqualTo(Reason.GuardBreached);
      assertThat(paused.status().getMessage()).contains("orders-abc supports 1-1, not 2");

      Decision resumed = loop.next(Observation.nothing().withValidation(VALID).withGuards(GuardReading.HOLDING));
      assertThat(resumed.action()).isEqualTo(new Action.StartStep("contract"));
    }

    @Test
    void aBreachBeforeAnyChangeHoldsWithoutRollingBack() {
      Loop loop = new Loop(migration(migrate("expand", "2")));
      loop.next(Observation.nothing());
      loop.next(CLEAR);
      loop.validated();

      Decision d = confirmed(loop, breached("podsReady: down"));

      assertThat(d.status().getPhase()).isEqualTo(Phase.Progressing);
      assertThat(d.action()).isEqualTo(Action.NONE);
      assertThat(d.health().reason()).isEqualTo(Reason.GuardBreached);
    }

    @Test
    void thePrometheusWindowIsKeptInStatus() {
      Loop loop = new Loop(migration(migrate("expand", "2"))).started();

      loop.next(Observation.nothing().withValidation(VALID).withStep(running())
          .withGuards(new GuardReading(null, T0.minusSeconds(20))));

      assertThat(loop.migration.getStatus().getGuardBreachSince()).isEqualTo(T0.minusSeconds(20).toString());
    }
  }

  @Nested
  class Holds {

    private final Hold oldPods = new Hold(Hold.Gate.COMPATIBILITY, "Deployment/orders", List.of("orders-abc"),
        "Deployment/orders: 1 of 2 ready pods does not support schema version 3: orders-abc (127.0.1.1): supports"
            + " 1-2, not 3");

    private StepObservation heldAtTheGate() {
      return StepObservation.running("compatibility gate: waiting for every ready pod to support schema version 3"
          + " before migrating: " + oldPods.message(), null, Duration.ofSeconds(10)).waitingFor(List.of(oldPods));
    }

    private List<StatusRecorder.Transition> transitions(Loop loop, Observation observation) {
      Decision d = decider.decide(loop.migration, observation, loop.now);
      StatusRecorder.Recording recording = StatusRecorder.record(loop.migration, d, loop.now);
      loop.migration.setStatus(recording.status());
      return recording.transitions();
    }

    @Test
    void aHeldStepNamesTheGateKeepsSinceWhenAndTellsItOnce() {
      SchemaMigration m = migration(migrate("contract", "3"));
      m.getSpec().getSteps().get(0).setTimeout("20s");
      Loop loop = new Loop(m).started();

      List<StatusRecorder.Transition> first =
          transitions(loop, Observation.nothing().withValidation(VALID).withStep(heldAtTheGate()));
      loop.now = T0.plusSeconds(5);
      List<StatusRecorder.Transition> second =
          transitions(loop, Observation.nothing().withValidation(VALID).withStep(heldAtTheGate()));

      StepStatus step = loop.step("contract");
      assertThat(step.getWaitingFor()).singleElement().satisfies(hold -> {
        assertThat(hold.getGate()).isEqualTo("compatibility");
        assertThat(hold.getSubject()).isEqualTo("Deployment/orders");
        assertThat(hold.getMessage()).contains("orders-abc", "supports 1-2, not 3");
        assertThat(hold.getSince()).isEqualTo(T0.toString());
      });
      assertThat(step.getMessage()).contains("compatibility gate", "Deployment/orders", "orders-abc",
          "supports 1-2, not 3").endsWith("(waiting for 5s)");
      assertThat(first).filteredOn(t -> t.reason().equals(Reason.StepWaiting)).singleElement()
          .satisfies(t -> assertThat(t.message()).isEqualTo("step contract waits at the compatibility gate: "
              + oldPods.message()));
      assertThat(second).as("one Event per hold, not one per look")
          .noneMatch(t -> t.reason().equals(Reason.StepWaiting));
    }

    @Test
    void aTimeoutNamesWhatTheStepWasStillWaitingFor() {
      SchemaMigration m = migration(migrate("contract", "3"));
      m.getSpec().getSteps().get(0).setTimeout("20s");
      Loop loop = new Loop(m).started();
      loop.seeing(heldAtTheGate());
      loop.now = T0.plusSeconds(20);

      Decision d = loop.seeing(heldAtTheGate());

      assertThat(loop.step("contract").getState()).isEqualTo(StepState.Failed);
      assertThat(loop.step("contract").getMessage()).isEqualTo("did not finish within its timeout of 20s: still"
          + " waiting for compatibility: " + oldPods.message());
      assertThat(loop.step("contract").getWaitingFor()).isNull();
      assertThat(d.status().getMessage()).contains("timeout of 20s: still waiting for compatibility: Deployment/orders");
    }

    @Test
    void aPendingApprovalIsAHoldToo() {
      Loop loop = new Loop(migration(approved(migrate("contract", "3"))));
      loop.next(Observation.nothing());
      loop.next(CLEAR);
      loop.validated();
      List<StatusRecorder.Transition> asked = transitions(loop, Observation.nothing().withValidation(VALID));
      loop.now = T0.plusSeconds(30);
      List<StatusRecorder.Transition> again = transitions(loop, Observation.nothing().withValidation(VALID));

      assertThat(loop.phase()).isEqualTo(Phase.WaitingForApproval);
      assertThat(loop.step("contract").getWaitingFor()).singleElement().satisfies(hold -> {
        assertThat(hold.getGate()).isEqualTo("approval");
        assertThat(hold.getSince()).isEqualTo(T0.toString());
      });
      assertThat(loop.step("contract").getMessage()).contains("waiting for approval since " + T0,
          Annotations.APPROVE + "=contract");
      assertThat(asked).anyMatch(t -> t.reason().equals(Reason.StepWaiting));
      assertThat(again).noneMatch(t -> t.reason().equals(Reason.StepWaiting));

      loop.annotate(Annotations.APPROVE, "contract");
      loop.validated();
      assertThat(loop.step("contract").getState()).isEqualTo(StepState.Running);
      assertThat(loop.step("contract").getWaitingFor()).isNull();
    }

    @Test
    void anAbortWhileWaitingForApprovalLeavesNoHoldBehind() {
      Loop loop = new Loop(migration(migrate("expand", "2"), approved(migrate("contract", "3")))).started();
      loop.seeing(migrated("1", "2"));
      loop.validated();
      assertThat(loop.phase()).isEqualTo(Phase.WaitingForApproval);
      assertThat(loop.step("contract").getWaitingFor()).isNotEmpty();

      loop.annotate(Annotations.ABORT, "true");
      loop.validated();

      assertThat(loop.phase()).isEqualTo(Phase.RollingBack);
      assertThat(loop.step("contract").getState()).isEqualTo(StepState.Pending);
      assertThat(loop.step("contract").getWaitingFor()).as("it no longer waits for approval").isNull();
      assertThat(loop.step("contract").getMessage()).isNull();
    }

    @Test
    void aPauseWhileWaitingForApprovalLeavesNoHoldAndAskingAgainStartsANewOne() {
      Loop loop = new Loop(migration(migrate("expand", "2"), approved(migrate("contract", "3")))).started();
      loop.seeing(migrated("1", "2"));
      loop.validated();

      loop.annotate(Annotations.PAUSE, "true");
      loop.now = T0.plusSeconds(30);
      loop.validated();
      assertThat(loop.phase()).isEqualTo(Phase.Paused);
      assertThat(loop.step("contract").getWaitingFor()).isNull();

      loop.migration.getMetadata().getAnnotations().remove(Annotations.PAUSE);
      loop.validated();
      assertThat(loop.phase()).isEqualTo(Phase.WaitingForApproval);
      assertThat(loop.step("contract").getWaitingFor()).singleElement()
          .satisfies(hold -> assertThat(hold.getSince()).isEqualTo(T0.plusSeconds(30).toString()));
    }
  }

  @Nested
  class People {

    @Test
    void aStepThatNeedsApprovalWaitsForIt() {
      Loop loop = new Loop(migration(migrate("expand", "2"), approved(migrate("contract", "3")))).started();
      loop.seeing(migrated("1", "2"));

      Decision d = loop.validated();

      assertThat(d.status().getPhase()).isEqualTo(Phase.WaitingForApproval);
      assertThat(d.action()).isEqualTo(Action.NONE);
      assertThat(d.health().stalled()).isFalse();
      assertThat(d.status().getMessage()).contains("lockstep.dev/approve=contract");
      assertThat(d.status().getConditions())
          .filteredOn(c -> c.getType().equals(Conditions.RECONCILING))
          .singleElement()
          .satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"));

      loop.annotate(Annotations.APPROVE, "other, contract");
      Decision approved = loop.validated();

      assertThat(approved.action()).isEqualTo(new Action.StartStep("contract"));
      assertThat(approved.status().getPhase()).isEqualTo(Phase.Progressing);
    }

    @Test
    void anApprovalForAnotherStepDoesNotCount() {
      Loop loop = new Loop(migration(approved(migrate("expand", "2")))).started();
      loop.annotate(Annotations.APPROVE, "contract");

      Decision d = loop.validated();

      assertThat(d.status().getPhase()).isEqualTo(Phase.WaitingForApproval);
    }

    @Test
    void pauseHoldsBeforeTheNextStepAndResumes() {
      Loop loop = new Loop(migration(migrate("expand", "2"), migrate("contract", "3"))).started();
      loop.annotate(Annotations.PAUSE, "true");

      loop.seeing(running());
      assertThat(loop.phase()).isEqualTo(Phase.Progressing);
      loop.seeing(migrated("1", "2"));
      Decision paused = loop.validated();

      assertThat(paused.status().getPhase()).isEqualTo(Phase.Paused);
      assertThat(paused.action()).isEqualTo(Action.NONE);

      loop.migration.getMetadata().getAnnotations().remove(Annotations.PAUSE);
      assertThat(loop.validated().action()).isEqualTo(new Action.StartStep("contract"));
    }
  }

  @Nested
  class SpecChanges {

    @Test
    void anInvalidEditStopsNewStepsButNotTheRunningOne() {
      Loop loop = new Loop(migration(migrate("expand", "2"), migrate("contract", "3"))).started();
      loop.migration.getMetadata().setGeneration(2L);
      List<String> problems = List.of("step contract: migrate.to 3 has no script");

      loop.next(Observation.nothing().withValidation(problems).withStep(migrated("1", "2")));
      assertThat(loop.step("expand").getState()).isEqualTo(StepState.Succeeded);

      Decision d = loop.next(Observation.nothing().withValidation(problems));

      assertThat(d.action()).isEqualTo(Action.NONE);
      assertThat(d.health().reason()).isEqualTo(Reason.InvalidSpec);
      assertThat(d.health().stalled()).isTrue();
      assertThat(d.status().getPhase()).isEqualTo(Phase.Progressing);
      assertThat(d.status().getObservedGeneration()).isEqualTo(2L);
    }

    @Test
    void anEditOfACompletedStepIsRefused() {
      Loop loop = new Loop(migration(migrate("expand", "2"), migrate("contract", "3"))).started();
      loop.seeing(migrated("1", "2"));
      loop.migration.getSpec().getSteps().get(0).getMigrate().setTo("2.1");
      loop.migration.getMetadata().setGeneration(2L);

      Decision d = loop.validated();

      assertThat(d.action()).isEqualTo(Action.NONE);
      assertThat(d.health().reason()).isEqualTo(Reason.CompletedStepChanged);
      assertThat(d.status().getMessage()).contains("step expand already ran and cannot change");
    }

    @Test
    void approvalAndTimeoutMayChangeOnACompletedStep() {
      Loop loop = new Loop(migration(migrate("expand", "2"), migrate("contract", "3"))).started();
      loop.seeing(migrated("1", "2"));
      loop.migration.getSpec().getSteps().get(0).setTimeout("30m");

      assertThat(loop.validated().action()).isEqualTo(new Action.StartStep("contract"));
    }

    @Test
    void stepsAddedAfterSuccessRun() {
      Loop loop = new Loop(migration(migrate("expand", "2"))).started();
      loop.seeing(migrated("1", "2"));
      loop.validated();
      assertThat(loop.phase()).isEqualTo(Phase.Succeeded);

      loop.migration.getSpec().getSteps().add(migrate("contract", "3"));
      loop.migration.getMetadata().setGeneration(2L);
      assertThat(loop.validated().status().getPhase()).isEqualTo(Phase.Progressing);
      assertThat(loop.validated().action()).isEqualTo(new Action.StartStep("contract"));
      assertThat(loop.step("expand").getState()).isEqualTo(StepState.Succeeded);
    }

    @Test
    void aSucceededMigrationIgnoresRepeatReconciles() {
      Loop loop = new Loop(migration(migrate("expand", "2"))).started();
      loop.seeing(migrated("1", "2"));
      loop.validated();

      Decision d = loop.next(Observation.nothing());

      assertThat(d.status().getPhase()).isEqualTo(Phase.Succeeded);
      assertThat(d.action()).isEqualTo(Action.NONE);
      assertThat(d.requeueAfter()).isNull();
    }
  }

  /** Nothing runs beside a Job: abort, breach and timeout wait for it, and so do undo Jobs and the end. */
  @Nested
  class NothingBesideAJob {

    private static final String CONTRACT_JOB = "orders-currency-contract-1";

    private Observation jobStillGoing(StepObservation step) {
      return Observation.nothing().withValidation(VALID).withStep(step).withActiveJobs(List.of(CONTRACT_JOB));
    }

    private Loop contractRunning(SchemaMigration m) {
      Loop loop = new Loop(m).started();
      loop.seeing(migrated("1", "2"));
      loop.validated();
      assertThat(loop.step("contract").getState()).isEqualTo(StepState.Running);
      return loop;
    }

    @Test
    void anAbortLetsTheRunningJobFinishThenRollsBackItsStepToo() {
      Loop loop = contractRunning(migration(migrate("expand", "2"), migrate("contract", "3")));
      loop.annotate(Annotations.ABORT, "true");

      Decision waiting = loop.next(jobStillGoing(running()));

      assertThat(waiting.status().getPhase()).isEqualTo(Phase.Progressing);
      assertThat(waiting.action()).isEqualTo(Action.NONE);
      assertThat(waiting.health().reason()).isEqualTo(Reason.WaitingForJob);
      assertThat(waiting.status().getMessage()).contains(CONTRACT_JOB).contains("aborted");
      assertThat(loop.step("contract").getState()).isEqualTo(StepState.Running);

      loop.seeing(migrated("2", "3"));
      assertThat(loop.step("contract").getState()).isEqualTo(StepState.Succeeded);
      assertThat(loop.validated().status().getPhase()).isEqualTo(Phase.RollingBack);
      assertThat(loop.next(Observation.nothing()).action()).isEqualTo(new Action.UndoStep("contract"));
      loop.next(Observation.nothing().withStep(StepObservation.succeeded("undid", new StepReport("3", "2", 0))));
      assertThat(loop.next(Observation.nothing()).action()).isEqualTo(new Action.UndoStep("expand"));
      loop.next(Observation.nothing().withStep(StepObservation.succeeded("undid", new StepReport("2", "1", 0))));

      Decision end = loop.next(Observation.nothing());
      assertThat(end.status().getPhase()).isEqualTo(Phase.RolledBack);
      assertThat(end.status().getSteps()).extracting(StepStatus::getState).containsOnly(StepState.RolledBack);
    }

    @Test
    void anAbortOfAJobThatFailsRollsBackWhatItAppliedBeforeFailing() {
      Loop loop = contractRunning(migration(migrate("expand", "2"), migrate("contract", "4")));
      loop.annotate(Annotations.ABORT, "true");
      loop.next(jobStillGoing(running()));

      loop.seeing(StepObservation.failed("V4 failed", new StepReport("2", "3", 0)));

      assertThat(loop.phase()).isEqualTo(Phase.RollingBack);
      assertThat(loop.next(Observation.nothing()).action()).isEqualTo(new Action.UndoStep("contract"));
    }

    @Test
    void aBreachWhileAJobRunsWaitsForIt() {
      Loop loop = contractRunning(migration(migrate("expand", "2"), migrate("contract", "3")));

      Decision d = loop.next(jobStillGoing(running()).withGuards(new GuardReading("podsReady: down", null)));

      assertThat(d.status().getPhase()).isEqualTo(Phase.Progressing);
      assertThat(d.action()).isEqualTo(Action.NONE);
      assertThat(loop.step("contract").getState()).isEqualTo(StepState.Running);
    }

    @Test
    void aTimedOutJobIsLetEndByItsOwnDeadlineBeforeAnythingIsUndone() {
      SchemaMigration m = migration(migrate("expand", "2"), migrate("contract", "3"));
      m.getSpec().getSteps().get(1).setTimeout("5m");
      Loop loop = contractRunning(m);
      loop.now = T0.plus(Duration.ofMinutes(6));

      Decision d = loop.next(jobStillGoing(running()));

      assertThat(d.status().getPhase()).isEqualTo(Phase.Progressing);
      assertThat(d.action()).isEqualTo(Action.NONE);
      assertThat(d.status().getMessage()).contains("timeout of 5m").contains(CONTRACT_JOB);
      assertThat(loop.step("contract").getState()).isEqualTo(StepState.Running);

      loop.seeing(StepObservation.failed("Job ran past its deadline", new StepReport("2", "2", 0)));
      assertThat(loop.phase()).isEqualTo(Phase.RollingBack);
      assertThat(loop.step("contract").getState()).isEqualTo(StepState.Failed);
    }

    @Test
    void aTimedOutStepWithNoJobGoingFailsAtOnce() {
      SchemaMigration m = migration(migrate("expand", "2"), migrate("contract", "3"));
      m.getSpec().getSteps().get(1).setTimeout("5m");
      Loop loop = contractRunning(m);
      loop.now = T0.plus(Duration.ofMinutes(6));

      loop.seeing(StepObservation.running("waiting for every ready pod to support schema version 3", null, null));

      assertThat(loop.step("contract").getState()).isEqualTo(StepState.Failed);
      assertThat(loop.step("contract").getMessage()).contains("timeout of 5m");
      assertThat(loop.phase()).isEqualTo(Phase.RollingBack);
    }

    @Test
    void noUndoStartsWhileAJobOfTheMigrationHasNotEnded() {
      Loop loop = contractRunning(migration(migrate("expand", "2"), migrate("contract", "3")));
      loop.next(jobStillGoing(StepObservation.failed("V3 failed: boom", new StepReport("2", "2", 0))));
      assertThat(loop.phase()).isEqualTo(Phase.RollingBack);

      Decision d = loop.next(Observation.nothing().withActiveJobs(List.of(CONTRACT_JOB)));

      assertThat(d.action()).isEqualTo(Action.NONE);
      assertThat(d.health().reason()).isEqualTo(Reason.WaitingForJob);
      assertThat(loop.step("expand").getState()).isEqualTo(StepState.Succeeded);
      assertThat(loop.next(Observation.nothing()).action()).isEqualTo(new Action.UndoStep("expand"));
    }

    @Test
    void theMigrationDoesNotEndWhileAJobHasNotEnded() {
      Loop loop = new Loop(migration(migrate("expand", "2"), migrate("contract", "3"))).started();

      Decision d = loop.next(Observation.nothing().withValidation(VALID)
          .withStep(StepObservation.failed("V2 failed", new StepReport("1", "1", 0)))
          .withActiveJobs(List.of("orders-currency-expand-1")));

      assertThat(d.status().getPhase()).isEqualTo(Phase.Progressing);
      assertThat(loop.step("expand").getState()).isEqualTo(StepState.Running);
      assertThat(loop.seeing(StepObservation.failed("V2 failed", new StepReport("1", "1", 0))).status().getPhase())
          .isEqualTo(Phase.Failed);
    }

    @Test
    void aJobLeftByACrashBeforeItsStatusWasWrittenIsAdopted() {
      Loop loop = new Loop(migration(migrate("expand", "2")));
      loop.next(Observation.nothing());
      loop.next(CLEAR);
      loop.validated();

      Decision d = loop.next(Observation.nothing().withValidation(VALID).withActiveJobs(List.of("orders-currency-expand-1")));

      assertThat(d.action()).isEqualTo(new Action.StartStep("expand"));
    }

    @Test
    void anAbortDuringAWaitStopsItSoNoStepIsLeftRunning() {
      Loop loop = new Loop(migration(migrate("expand", "2"), soak("soak", "10m"), migrate("contract", "3"))).started();
      loop.seeing(migrated("1", "2"));
      loop.validated();
      loop.annotate(Annotations.ABORT, "true");

      loop.seeing(running());
      assertThat(loop.step("soak").getState()).isEqualTo(StepState.Failed);
      assertThat(loop.step("soak").getMessage()).contains("stopped: aborted");
      loop.next(Observation.nothing());
      loop.next(Observation.nothing().withStep(StepObservation.succeeded("undid", new StepReport("2", "1", 0))));

      Decision end = loop.next(Observation.nothing());
      assertThat(end.status().getPhase()).isEqualTo(Phase.RolledBack);
      assertThat(end.status().getSteps()).extracting(StepStatus::getState).doesNotContain(StepState.Running);
    }

    @Test
    void aFailedBackfillThatRanIsUndoneToo() {
      Loop loop = new Loop(migration(migrate("expand", "2"), backfill("fill", "total_cents = NULL"))).started();
      loop.seeing(migrated("1", "2"));
      loop.validated();
      loop.step("fill").setJob("orders-currency-fill-1");

      loop.seeing(StepObservation.failed("batch 7 failed", null));

      assertThat(loop.phase()).isEqualTo(Phase.RollingBack);
      assertThat(loop.next(Observation.nothing()).action()).isEqualTo(new Action.UndoStep("fill"));
    }
  }

  @Test
  void aDeletionWaitsForEveryJobToEnd() {
    MigrationDecider.Deletion held = decider.onDeletion(Observation.nothing().withActiveJobs(List.of("m-fill-1")));
    assertThat(held.letGo()).isFalse();
    assertThat(held.message()).contains("m-fill-1");
    assertThat(held.recheck()).isPositive();

    assertThat(decider.onDeletion(Observation.nothing()).letGo()).isTrue();
  }

  @Test
  void aBackfillWithoutUndoIsAnnouncedAsAPointOfNoReturnAtValidation() {
    Loop loop = new Loop(migration(migrate("expand", "2"), backfill("fill", null), backfill("tidy", "x = NULL")));
    loop.next(Observation.nothing());
    loop.next(CLEAR);

    Decision d = loop.validated();

    assertThat(d.status().getPhase()).isEqualTo(Phase.Progressing);
    assertThat(d.status().getMessage()).contains("step fill is a point of no return").contains("undo: {none: true}")
        .doesNotContain("step tidy");
  }

  @Test
  void rollbackStopsAtABackfillWithoutUndo() {
    Loop loop = new Loop(migration(backfill("fill", null), migrate("contract", "3"))).started();
    loop.seeing(StepObservation.succeeded("changed 2 rows", null));
    loop.validated();
    loop.seeing(StepObservation.failed("V3 failed", new StepReport("2", "2", 0)));

    Decision d = loop.next(Observation.nothing().withIrreversible(
        dev.lockstep.steps.BackfillStepHandler.irreversible("fill")));

    assertThat(d.status().getPhase()).isEqualTo(Phase.Failed);
    assertThat(d.health().reason()).isEqualTo(Reason.PointOfNoReturn);
    assertThat(d.status().getMessage()).contains("rows it changed stay changed");
  }

  /** An undo that failed can be tried again, each attempt with a Job of its own, and times out. */
  @Nested
  class UndoAttempts {

    private Loop undoOfExpandFailed() {
      Loop loop = new Loop(migration(migrate("expand", "2"), migrate("contract", "3"))).started();
      loop.seeing(migrated("1", "2"));
      loop.validated();
      loop.seeing(StepObservation.failed("V3 failed", new StepReport("2", "2", 0)));
      assertThat(loop.next(Observation.nothing()).action()).isEqualTo(new Action.UndoStep("expand"));
      assertThat(loop.step("expand").getUndoAttempts()).isEqualTo(1);
      loop.next(Observation.nothing().withStep(StepObservation.failed("U2 failed: lock timeout", null)));
      assertThat(loop.phase()).isEqualTo(Phase.Failed);
      return loop;
    }

    @Test
    void aFailedUndoSaysHowToRetryIt() {
      Loop loop = undoOfExpandFailed();

      assertThat(loop.last.health().reason()).isEqualTo(Reason.UndoFailed);
      assertThat(loop.migration.getStatus().getMessage()).contains("annotate lockstep.dev/retry=expand");
    }

    @Test
    void theRetryAnnotationRunsTheUndoAgainAsANewAttempt() {
      Loop loop = undoOfExpandFailed();
      loop.annotate(Annotations.RETRY, "expand");
      loop.now = T0.plusSeconds(60);

      Decision retry = loop.next(Observation.nothing());

      assertThat(retry.action()).isEqualTo(new Action.ClearAnnotation(Annotations.RETRY));
      assertThat(retry.status().getPhase()).isEqualTo(Phase.RollingBack);
      assertThat(loop.step("expand").getState()).isEqualTo(StepState.RollingBack);
      assertThat(loop.step("expand").getUndoAttempts()).isEqualTo(2);
      assertThat(loop.step("expand").getUndoStartedAt()).isEqualTo(T0.plusSeconds(60).toString());

      assertThat(loop.next(Observation.nothing().withStep(StepObservation.missing("starting Job")))
          .action()).isEqualTo(new Action.UndoStep("expand"));
      loop.next(Observation.nothing().withStep(StepObservation.succeeded("undid", new StepReport("2", "1", 0))));
      assertThat(loop.next(Observation.nothing()).status().getPhase()).isEqualTo(Phase.RolledBack);
    }

    @Test
    void anAbortAfterAFailedUndoSaysItChangesNothingAndNeitherSkipsNorRepeatsTheUndo() {
      Loop loop = undoOfExpandFailed();
      loop.annotate(Annotations.ABORT, "true");

      Decision d = loop.next(Observation.nothing());
      Decision again = loop.next(Observation.nothing());

      assertThat(d.action()).isEqualTo(Action.NONE);
      assertThat(again.action()).isEqualTo(Action.NONE);
      assertThat(loop.phase()).isEqualTo(Phase.Failed);
      assertThat(d.health().reason()).isEqualTo(Reason.UndoFailed);
      assertThat(loop.step("expand").getState()).isEqualTo(StepState.UndoFailed);
      assertThat(loop.step("expand").getUndoAttempts()).isEqualTo(1);
      assertThat(loop.migration.getStatus().getMessage())
          .contains("U2 failed: lock timeout")
          .contains(Annotations.ABORT + " changes nothing here")
          .contains("annotate " + Annotations.RETRY + "=expand");

      loop.annotate(Annotations.RETRY, "expand");
      assertThat(loop.next(Observation.nothing()).action()).isEqualTo(new Action.ClearAnnotation(Annotations.RETRY));
      assertThat(loop.step("expand").getUndoAttempts()).isEqualTo(2);
    }

    @Test
    void aMigrateJobKilledAtItsDeadlineWithoutAResultIsUndoneToo() {
      Loop loop = new Loop(migration(migrate("expand", "2"), migrate("contract", "3"))).started();
      loop.seeing(migrated("1", "2"));
      loop.validated();
      // The reconciler records the Job it launched for the attempt.
      loop.step("contract").setJob("orders-currency-contract-1");

      loop.seeing(StepObservation.failed("Job orders-currency-contract-1 was active longer than its deadline", null));

      assertThat(loop.phase()).isEqualTo(Phase.RollingBack);
      assertThat(loop.next(Observation.nothing()).action())
          .as("it may have committed V3 before it was killed").isEqualTo(new Action.UndoStep("contract"));
    }

    @Test
    void aRetriedStepForgetsWhatTheEarlierAttemptReportedButNotWhereItStarted() {
      SchemaMigration m = migration(migrate("expand", "2"));
      RollbackSpec manual = new RollbackSpec();
      manual.setPolicy(RollbackPolicy.Manual);
      m.getSpec().setRollback(manual);
      Loop loop = new Loop(m).started();
      loop.seeing(StepObservation.failed("V2 failed", new StepReport("1", "1", 3)));
      assertThat(loop.step("expand").getLockRetries()).isEqualTo(3);
      loop.annotate(Annotations.RETRY, "expand");
      loop.next(Observation.nothing());

      loop.validated();

      assertThat(loop.step("expand").getState()).isEqualTo(StepState.Running);
      assertThat(loop.step("expand").getLockRetries()).isNull();
      assertThat(loop.step("expand").getVersionAfter()).isNull();
      assertThat(loop.step("expand").getVersionBefore()).isEqualTo("1");
    }

    @Test
    void anUndoJobOfAnEarlierAttemptStillGoingHoldsTheRetry() {
      Loop loop = undoOfExpandFailed();
      loop.annotate(Annotations.RETRY, "expand");
      loop.next(Observation.nothing());

      Decision d = loop.next(Observation.nothing().withStep(StepObservation.missing("starting Job"))
          .withActiveJobs(List.of("orders-currency-expand-undo-1")));

      assertThat(d.action()).isEqualTo(Action.NONE);
      assertThat(d.status().getMessage()).contains("orders-currency-expand-undo-1");
    }

    @Test
    void anUndoPastItsTimeoutFailsOnceNoJobIsGoing() {
      SchemaMigration m = migration(migrate("expand", "2"), migrate("contract", "3"));
      m.getSpec().getSteps().get(0).setTimeout("2m");
      Loop loop = new Loop(m).started();
      loop.seeing(migrated("1", "2"));
      loop.validated();
      loop.seeing(StepObservation.failed("V3 failed", new StepReport("2", "2", 0)));
      loop.next(Observation.nothing());
      loop.now = T0.plus(Duration.ofMinutes(3));

      Decision waiting = loop.next(Observation.nothing().withStep(running())
          .withActiveJobs(List.of("orders-currency-expand-undo-1")));
      assertThat(waiting.status().getPhase()).isEqualTo(Phase.RollingBack);

      Decision d = loop.next(Observation.nothing().withStep(
          StepObservation.running("waiting for every ready pod to support schema version 1", null, null)));

      assertThat(d.status().getPhase()).isEqualTo(Phase.Failed);
      assertThat(d.health().reason()).isEqualTo(Reason.UndoFailed);
      assertThat(loop.step("expand").getMessage()).contains("timeout of 2m");
    }
  }

  @Nested
  class Repair {

    private RepairStatus stuck() {
      RepairStatus found = new RepairStatus();
      found.setReason(dev.lockstep.api.RepairReason.FailedMigration);
      found.setVersion("3");
      found.setScript("V3__indexes.sql");
      found.setProblems(List.of("V3__indexes.sql (version 3) failed half-way outside a transaction; its row in"
          + " flyway_schema_history is marked failed"));
      return found;
    }

    /** expand succeeded; contract failed half-way and left a failed history row. */
    private Loop failedHalfWay() {
      Loop loop = new Loop(migration(migrate("expand", "2"), migrate("contract", "3"))).started();
      loop.seeing(migrated("1", "2"));
      loop.validated();
      loop.seeing(StepObservation.failed("V3__indexes.sql failed: could not create unique index",
          new StepReport("2", "2", 0, 0L, null, stuck())));
      return loop;
    }

    private Condition condition(Loop loop, String type) {
      return loop.migration.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst()
          .orElse(null);
    }

    @Test
    void aStepThatLeftTheDatabaseStuckFailsWithThatCauseAndIsNeitherRolledBackNorRetried() {
      Loop loop = failedHalfWay();

      assertThat(loop.phase()).isEqualTo(Phase.Failed);
      assertThat(loop.last.health().reason()).isEqualTo(Reason.FailedMigration);
      assertThat(loop.last.health().stalled()).isTrue();
      assertThat(loop.step("expand").getState()).isEqualTo(StepState.Succeeded);
      assertThat(loop.step("contract").getState()).isEqualTo(StepState.Failed);
      assertThat(loop.migration.getStatus().getRepair().getStep()).isEqualTo("contract");
      Condition needsRepair = condition(loop, Conditions.NEEDS_REPAIR);
      assertThat(needsRepair.getStatus()).isEqualTo("True");
      assertThat(needsRepair.getReason()).isEqualTo("FailedMigration");
      assertThat(needsRepair.getMessage()).isEqualTo("step contract, version 3 (V3__indexes.sql): V3__indexes.sql"
          + " (version 3) failed half-way outside a transaction; its row in flyway_schema_history is marked failed");
      assertThat(loop.migration.getStatus().getMessage()).contains("annotate lockstep.dev/repair=true");

      loop.annotate(Annotations.RETRY, "contract");
      loop.annotate(Annotations.ABORT, "true");
      Decision d = loop.next(Observation.nothing());

      assertThat(d.action()).isEqualTo(Action.NONE);
      assertThat(loop.step("contract").getState()).isEqualTo(StepState.Failed);
      assertThat(loop.phase()).isEqualTo(Phase.Failed);
    }

    @Test
    void theRepairAnnotationRunsARepairJobThenTheRetryRetriesTheStep() {
      Loop loop = failedHalfWay();
      loop.annotate(Annotations.REPAIR, "true");
      loop.annotate(Annotations.RETRY, "contract");

      Decision start = loop.next(Observation.nothing());
      assertThat(start.action()).isEqualTo(new Action.RepairStep("contract"));
      assertThat(start.health().reason()).isEqualTo(Reason.Repairing);
      assertThat(loop.migration.getStatus().getRepair().getAttempts()).isEqualTo(1);
      assertThat(loop.migration.getStatus().getRepair().getStartedAt()).isEqualTo(T0.toString());

      Decision waiting = loop.next(Observation.nothing().withRepair(running()));
      assertThat(waiting.action()).isEqualTo(Action.NONE);

      Decision repaired = loop.next(Observation.nothing().withRepair(StepObservation.succeeded("repaired", null)));
      assertThat(repaired.action()).isEqualTo(new Action.ClearAnnotation(Annotations.REPAIR));
      assertThat(repaired.health().reason()).isEqualTo(Reason.StepFailed);
      assertThat(loop.migration.getStatus().getRepair()).isNull();
      assertThat(condition(loop, Conditions.NEEDS_REPAIR)).isNull();
      loop.migration.getMetadata().getAnnotations().remove(Annotations.REPAIR);

      Decision retry = loop.next(Observation.nothing());
      assertThat(retry.action()).isEqualTo(new Action.ClearAnnotation(Annotations.RETRY));
      assertThat(loop.step("contract").getState()).isEqualTo(StepState.Pending);
      assertThat(loop.phase()).isEqualTo(Phase.Progressing);
    }

    @Test
    void aRefusedRepairKeepsTheCauseAndTheAnnotationStartsAnotherAttempt() {
      Loop loop = failedHalfWay();
      loop.annotate(Annotations.REPAIR, "true");
      loop.next(Observation.nothing());

      Decision refused = loop.next(Observation.nothing().withRepair(StepObservation.failed(
          "cannot repair V3__indexes.sql: statement 2 may have taken effect", null)));

      assertThat(refused.action()).isEqualTo(new Action.ClearAnnotation(Annotations.REPAIR));
      assertThat(refused.health().reason()).isEqualTo(Reason.FailedMigration);
      assertThat(loop.migration.getStatus().getRepair().getStartedAt()).isNull();
      assertThat(condition(loop, Conditions.NEEDS_REPAIR).getMessage())
          .endsWith("; the last repair failed: cannot repair V3__indexes.sql: statement 2 may have taken effect");
      loop.migration.getMetadata().getAnnotations().remove(Annotations.REPAIR);
      assertThat(loop.next(Observation.nothing()).action()).isEqualTo(Action.NONE);

      loop.annotate(Annotations.REPAIR, "true");
      assertThat(loop.next(Observation.nothing()).action()).isEqualTo(new Action.RepairStep("contract"));
      assertThat(loop.migration.getStatus().getRepair().getAttempts()).isEqualTo(2);
    }

    /**
     * contract failed in its transaction (nothing stuck) and is rolled back; the undo of expand finds
     * a failed history row and refuses, before it changes anything.
     */
    private Loop undoFoundTheDatabaseStuck() {
      Loop loop = new Loop(migration(migrate("expand", "2"), migrate("contract", "3"))).started();
      loop.seeing(migrated("1", "2"));
      loop.validated();
      loop.seeing(StepObservation.failed("V3 failed: boom", new StepReport("2", "2", 0)));
      assertThat(loop.next(Observation.nothing()).action()).isEqualTo(new Action.UndoStep("expand"));
      loop.next(Observation.nothing().withStep(StepObservation.failed("V3__indexes.sql (version 3) failed half-way;"
          + " nothing was undone: it needs repair (lockstep repair) before any undo runs",
          new StepReport("2", "2", 0, 0L, null, stuck()))));
      return loop;
    }

    @Test
    void anUndoThatFindsTheDatabaseStuckNeedsRepairLikeAStep() {
      Loop loop = undoFoundTheDatabaseStuck();

      assertThat(loop.phase()).isEqualTo(Phase.Failed);
      assertThat(loop.last.health().reason()).isEqualTo(Reason.FailedMigration);
      assertThat(loop.step("expand").getState()).isEqualTo(StepState.UndoFailed);
      assertThat(loop.migration.getStatus().getFailure().getReason()).isEqualTo(FailureReason.UndoFailed);
      assertThat(loop.migration.getStatus().getRepair().getStep()).isEqualTo("expand");
      Condition needsRepair = condition(loop, Conditions.NEEDS_REPAIR);
      assertThat(needsRepair.getStatus()).isEqualTo("True");
      assertThat(needsRepair.getReason()).isEqualTo("FailedMigration");
      assertThat(needsRepair.getMessage()).startsWith("step expand, version 3 (V3__indexes.sql): ");
      assertThat(loop.migration.getStatus().getMessage()).contains("annotate lockstep.dev/repair=true")
          .contains("lockstep.dev/retry=expand to run the undo again");

      loop.annotate(Annotations.RETRY, "expand");
      assertThat(loop.next(Observation.nothing()).action()).as("no retry before the repair").isEqualTo(Action.NONE);
      assertThat(loop.step("expand").getState()).isEqualTo(StepState.UndoFailed);
    }

    @Test
    void theRepairOfAStuckUndoIsFollowedByTheUndoAgain() {
      Loop loop = undoFoundTheDatabaseStuck();
      loop.annotate(Annotations.REPAIR, "true");
      loop.annotate(Annotations.RETRY, "expand");

      assertThat(loop.next(Observation.nothing()).action()).isEqualTo(new Action.RepairStep("expand"));
      Decision repaired = loop.next(Observation.nothing().withRepair(StepObservation.succeeded("repaired", null)));
      assertThat(repaired.action()).isEqualTo(new Action.ClearAnnotation(Annotations.REPAIR));
      assertThat(repaired.health().reason()).isEqualTo(Reason.UndoFailed);
      assertThat(repaired.health().message()).endsWith("annotate lockstep.dev/retry=expand to run its undo again");
      assertThat(condition(loop, Conditions.NEEDS_REPAIR)).isNull();
      loop.migration.getMetadata().getAnnotations().remove(Annotations.REPAIR);

      Decision retry = loop.next(Observation.nothing());
      assertThat(retry.action()).isEqualTo(new Action.ClearAnnotation(Annotations.RETRY));
      assertThat(loop.phase()).isEqualTo(Phase.RollingBack);
      assertThat(loop.step("expand").getUndoAttempts()).isEqualTo(2);
      assertThat(loop.next(Observation.nothing().withStep(StepObservation.missing("gone"))).action())
          .isEqualTo(new Action.UndoStep("expand"));
    }

    @Test
    void aRepairJobDoesNotStartBesideAJobThatHasNotEnded() {
      Loop loop = failedHalfWay();
      loop.annotate(Annotations.REPAIR, "true");

      Decision d = loop.next(Observation.nothing().withActiveJobs(List.of("m-contract-1")));

      assertThat(d.action()).isEqualTo(Action.NONE);
      assertThat(d.health().reason()).isEqualTo(Reason.WaitingForJob);
    }
  }

  /** A backfill whose pod was terminated goes on from its checkpoint with a new attempt, a bounded number of times. */
  @Nested
  class Interruptions {

    private final StepObservation interrupted = StepObservation.failed(
        "Job orders-currency-fill-1 failed: its pod was terminated (deleted or killed) while the runner ran",
        new StepReport(null, null, 0, 0L, 1200L, null, true));

    /** expand succeeded; the backfill fill runs its first attempt. */
    private Loop backfillRunning() {
      Loop loop = new Loop(migration(migrate("expand", "2"), backfill("fill", "total_cents = NULL"))).started();
      loop.seeing(migrated("1", "2"));
      loop.validated();
      assertThat(loop.step("fill").getState()).isEqualTo(StepState.Running);
      assertThat(loop.step("fill").getAttempts()).isEqualTo(1);
      return loop;
    }

    private StatusRecorder.Recording recorded(Loop loop, StepObservation step) {
      loop.last = decider.decide(loop.migration, Observation.nothing().withValidation(VALID).withStep(step), loop.now);
      StatusRecorder.Recording recording = StatusRecorder.record(loop.migration, loop.last, loop.now);
      loop.migration.setStatus(recording.status());
      return recording;
    }

    @Test
    void anInterruptedBackfillStartsItsNextAttemptWithAnEvent() {
      Loop loop = backfillRunning();

      StatusRecorder.Recording recording = recorded(loop, interrupted);

      assertThat(loop.last.action()).isEqualTo(new Action.StartStep("fill"));
      assertThat(loop.last.health().reason()).isEqualTo(Reason.BackfillInterrupted);
      assertThat(loop.phase()).isEqualTo(Phase.Progressing);
      StepStatus fill = loop.step("fill");
      assertThat(fill.getState()).isEqualTo(StepState.Running);
      assertThat(fill.getAttempts()).isEqualTo(2);
      assertThat(fill.getInterruptions()).isEqualTo(1);
      assertThat(fill.getMessage()).contains("attempt 2 continues from its checkpoint (interruption 1 of at most 3)");
      assertThat(recording.transitions()).filteredOn(t -> t.reason() == Reason.BackfillInterrupted).singleElement()
          .satisfies(t -> assertThat(t.type()).isEqualTo(EventRecorder.Type.Warning));
    }

    @Test
    void theFourthInterruptionFailsTheStepAndRollsBack() {
      Loop loop = backfillRunning();
      for (int attempt = 2; attempt <= 4; attempt++) {
        recorded(loop, interrupted);
        assertThat(loop.last.action()).isEqualTo(new Action.StartStep("fill"));
        assertThat(loop.step("fill").getAttempts()).isEqualTo(attempt);
        loop.seeing(running());
      }

      loop.seeing(interrupted);

      assertThat(loop.step("fill").getState()).isEqualTo(StepState.Failed);
      assertThat(loop.step("fill").getInterruptions()).isEqualTo(3);
      assertThat(loop.phase()).isEqualTo(Phase.RollingBack);
      assertThat(loop.migration.getStatus().getRollbackReason())
          .contains("step fill failed: ").contains("(interrupted 4 times; a step is resumed at most 3 times)");
    }

    @Test
    void aFailureThatIsNotAnInterruptionIsNotResumed() {
      Loop loop = backfillRunning();

      loop.seeing(StepObservation.failed("batch 3 of orders failed: division by zero",
          new StepReport(null, null, 0, 0L, 200L)));

      assertThat(loop.step("fill").getState()).isEqualTo(StepState.Failed);
      assertThat(loop.step("fill").getInterruptions()).isNull();
      assertThat(loop.phase()).isEqualTo(Phase.RollingBack);
    }

    @Test
    void anInterruptedBackfillIsNotResumedWhenAnAbortAsksItToStop() {
      Loop loop = backfillRunning();
      loop.annotate(Annotations.ABORT, "true");

      loop.seeing(interrupted);

      assertThat(loop.step("fill").getState()).isEqualTo(StepState.Failed);
      assertThat(loop.step("fill").getAttempts()).isEqualTo(1);
      assertThat(loop.phase()).isEqualTo(Phase.RollingBack);
    }

    @Test
    void anInterruptedBackfillPastItsTimeoutIsNotResumed() {
      Loop loop = backfillRunning();
      loop.now = loop.now.plus(Duration.ofDays(30));

      loop.seeing(interrupted);

      assertThat(loop.step("fill").getState()).isEqualTo(StepState.Failed);
      assertThat(loop.step("fill").getAttempts()).isEqualTo(1);
    }
  }
}
