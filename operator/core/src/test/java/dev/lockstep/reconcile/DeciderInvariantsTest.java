package dev.lockstep.reconcile;

import static dev.lockstep.reconcile.Migrations.approved;
import static dev.lockstep.reconcile.Migrations.migrate;
import static dev.lockstep.reconcile.Migrations.migration;
import static dev.lockstep.reconcile.Migrations.soak;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.Annotations;
import dev.lockstep.api.Phase;
import dev.lockstep.api.RollbackPolicy;
import dev.lockstep.api.RollbackSpec;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.StepState;
import dev.lockstep.api.StepStatus;
import dev.lockstep.gates.GuardReading;
import dev.lockstep.jobs.JobNames;
import dev.lockstep.queue.DatabaseLeases;
import dev.lockstep.queue.QueuePosition;
import dev.lockstep.steps.BuiltInKinds;
import dev.lockstep.steps.StepObservation;
import dev.lockstep.steps.StepReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every phase (in the states a migration really reaches, built by driving the decider) against
 * every kind of observation, each with no Job, a Job of its own running and another Job of the
 * migration running; each decision is checked against the rules that must always hold. Adding a
 * phase or a step outcome without a state or an observation for it fails {@link #coversEveryPhase}
 * or {@link #coversEveryStepOutcome}.
 */
class DeciderInvariantsTest {

  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
  private static final Observation VALID = Observation.nothing().withValidation(List.of());
  private static final String NAME = "orders-currency";
  /** A Job of the migration that no decision of these states would adopt. */
  private static final String FOREIGN_JOB = NAME + "-stray-9";

  private static final MigrationDecider DECIDER = new MigrationDecider(true, BuiltInKinds.handlers());

  /** Which phases a decision may move to from each phase ({@code null}: no status yet). */
  private static final Map<Phase, Set<Phase>> LEGAL = new LinkedHashMap<>();

  static {
    Set<Phase> running = EnumSet.of(Phase.Progressing, Phase.WaitingForApproval, Phase.Paused, Phase.RollingBack,
        Phase.Succeeded, Phase.Failed);
    LEGAL.put(null, EnumSet.of(Phase.Pending));
    LEGAL.put(Phase.Pending, EnumSet.of(Phase.Pending, Phase.Queued, Phase.Validating, Phase.Failed));
    LEGAL.put(Phase.Queued, EnumSet.of(Phase.Queued, Phase.Validating, Phase.Failed));
    LEGAL.put(Phase.Validating, EnumSet.of(Phase.Validating, Phase.Progressing, Phase.Failed));
    LEGAL.put(Phase.Progressing, running);
    LEGAL.put(Phase.WaitingForApproval, running);
    LEGAL.put(Phase.Paused, running);
    LEGAL.put(Phase.RollingBack, EnumSet.of(Phase.RollingBack, Phase.RolledBack, Phase.Failed));
    LEGAL.put(Phase.Succeeded, EnumSet.of(Phase.Succeeded, Phase.Progressing));
    LEGAL.put(Phase.Failed, EnumSet.of(Phase.Failed, Phase.Pending, Phase.Progressing, Phase.RollingBack));
    LEGAL.put(Phase.RolledBack, EnumSet.of(Phase.RolledBack));
  }

  // ---- the states --------------------------------------------------------------------------

  /** Drives a migration through real decisions, as the reconciler would. */
  private static final class Drive {
    final SchemaMigration m;

    Drive(SchemaMigration m) {
      this.m = m;
    }

    Drive see(Observation observed) {
      Decision d = DECIDER.decide(m, observed, T0);
      m.setStatus(StatusRecorder.record(m, d, T0).status());
      return this;
    }

    Drive step(StepObservation seen) {
      return see(VALID.withStep(seen));
    }

    Drive annotate(String key, String value) {
      m.getMetadata().getAnnotations().put(key, value);
      return this;
    }

    Drive clean() {
      m.getMetadata().getAnnotations().clear();
      return this;
    }
  }

  /** expand (migrate), soak (wait), contract (migrate, needs approval). */
  private static SchemaMigration spec(boolean manual) {
    SchemaMigration m = migration(migrate("expand", "2"), soak("soak", "1m"), approved(migrate("contract", "3")));
    if (manual) {
      RollbackSpec rollback = new RollbackSpec();
      rollback.setPolicy(RollbackPolicy.Manual);
      m.getSpec().setRollback(rollback);
    }
    return m;
  }

  private static Drive validating(boolean manual) {
    return new Drive(spec(manual)).see(Observation.nothing()).see(Observation.nothing().withQueue(QueuePosition.clear()));
  }

  private static Drive contractRunning(boolean manual) {
    return validating(manual).see(VALID).see(VALID)
        .step(StepObservation.succeeded("migrated", new StepReport("1", "2", 0))).see(VALID)
        .step(StepObservation.succeeded("soaked", null)).see(VALID)
        .annotate(Annotations.APPROVE, "contract").see(VALID).clean();
  }

  private static Drive expandUndoing() {
    return contractRunning(false).step(StepObservation.failed("V3 failed", new StepReport("2", "2", 0)))
        .see(Observation.nothing()).see(Observation.nothing().withStep(StepObservation.succeeded("nothing to undo", null)))
        .see(Observation.nothing());
  }

  /** Every state, by name, each as the decider left it. */
  static Map<String, SchemaMigration> states() {
    Map<String, SchemaMigration> states = new LinkedHashMap<>();
    states.put("new", spec(false));
    states.put("pending", new Drive(spec(false)).see(Observation.nothing()).m);
    states.put("queued", new Drive(spec(false)).see(Observation.nothing())
        .see(Observation.nothing().withQueue(new QueuePosition(Map.of(), List.of(), List.of(), "orders-other", null))).m);
    states.put("validating", validating(false).m);
    states.put("progressing, no step running", validating(false).see(VALID).m);
    states.put("expand (migrate) running", validating(false).see(VALID).see(VALID).m);
    states.put("soak (wait) running", validating(false).see(VALID).see(VALID)
        .step(StepObservation.succeeded("migrated", new StepReport("1", "2", 0))).see(VALID).m);
    states.put("waiting for approval", validating(false).see(VALID).see(VALID)
        .step(StepObservation.succeeded("migrated", new StepReport("1", "2", 0))).see(VALID)
        .step(StepObservation.succeeded("soaked", null)).see(VALID).m);
    states.put("paused", validating(false).see(VALID).annotate(Annotations.PAUSE, "true").see(VALID).clean().m);
    states.put("contract running", contractRunning(false).m);
    states.put("rolling back, nothing undoing", contractRunning(false)
        .step(StepObservation.failed("V3 failed", new StepReport("2", "2", 0))).m);
    states.put("rolling back, expand undoing", expandUndoing().m);
    states.put("rolled back", expandUndoing()
        .see(Observation.nothing().withStep(StepObservation.succeeded("undid", new StepReport("2", "1", 0))))
        .see(Observation.nothing()).m);
    states.put("succeeded", contractRunning(false)
        .step(StepObservation.succeeded("migrated", new StepReport("2", "3", 0))).see(VALID).m);
    states.put("failed: step failed (Manual)", contractRunning(true)
        .step(StepObservation.failed("V3 failed", new StepReport("2", "2", 0))).m);
    states.put("failed: undo failed", expandUndoing()
        .see(Observation.nothing().withStep(StepObservation.failed("U2 failed", null))).m);
    states.put("failed: invalid spec", validating(false).see(Observation.nothing().withValidation(List.of("bad"))).m);
    states.put("failed: point of no return", contractRunning(false)
        .step(StepObservation.failed("V3 failed", new StepReport("2", "2", 0)))
        .see(Observation.nothing().withIrreversible("its rows stay changed")).m);
    return states;
  }

  // ---- the observations --------------------------------------------------------------------

  /** One kind of observation: what is seen, and what a person or the spec changed before it. */
  private record Situation(String name, Consumer<SchemaMigration> change, Observation observed) {}

  private static Situation seen(String name, Observation observed) {
    return new Situation(name, m -> {}, observed);
  }

  private static Situation annotated(String key, String value) {
    return new Situation(key + "=" + value, m -> m.getMetadata().getAnnotations().put(key, value), VALID);
  }

  static List<Situation> situations() {
    List<Situation> all = new ArrayList<>();
    all.add(seen("nothing", Observation.nothing()));
    all.add(seen("queue clear", Observation.nothing().withQueue(QueuePosition.clear())));
    all.add(seen("lease held by another", Observation.nothing().withQueue(
        new QueuePosition(Map.of(), List.of(), List.of(), "orders-other", null))));
    all.add(seen("another migration ahead in line", Observation.nothing().withQueue(
        new QueuePosition(Map.of(), List.of(), List.of(), null, "orders-older"))));
    all.add(seen("a dependency failed", Observation.nothing().withQueue(
        new QueuePosition(Map.of("orders-base", Phase.Failed), List.of(), List.of(), null, null))));
    all.add(seen("a dependency is missing", Observation.nothing().withQueue(
        new QueuePosition(Map.of(), List.of("orders-base"), List.of(), null, null))));
    all.add(seen("a lease record (the reconciler's concern)", VALID.withLease(Optional.of(
        new DatabaseLeases.LeaseRecord("uid-2", "orders-other", false, false, "7")))));
    all.add(seen("valid spec", VALID));
    all.add(seen("invalid spec", Observation.nothing().withValidation(List.of("spec.steps[0].migrate.to: bad"))));
    for (StepObservation.Outcome outcome : StepObservation.Outcome.values()) {
      all.add(seen("step " + outcome, VALID.withStep(step(outcome))));
    }
    all.add(seen("guard breached", VALID.withGuards(new GuardReading("podsReady: Deployment/orders: 1/2", null))));
    all.add(seen("guard breached while the step runs", VALID.withStep(step(StepObservation.Outcome.RUNNING))
        .withGuards(new GuardReading("podsReady: Deployment/orders: 1/2", null))));
    all.add(seen("next undo irreversible", Observation.nothing().withIrreversible("its rows stay changed")));
    all.add(annotated(Annotations.APPROVE, "contract"));
    all.add(annotated(Annotations.PAUSE, "true"));
    all.add(annotated(Annotations.ABORT, "true"));
    all.add(annotated(Annotations.RETRY, "expand"));
    all.add(annotated(Annotations.RETRY, "contract"));
    all.add(new Situation("spec changed (generation 2)", m -> m.getMetadata().setGeneration(2L), VALID));
    all.add(new Situation("a step that ran was edited", m -> {
      m.getSpec().getSteps().get(0).getMigrate().setTo("9");
      m.getMetadata().setGeneration(2L);
    }, VALID));
    all.add(new Situation("a step was added", m -> {
      m.getSpec().getSteps().add(migrate("cleanup", "4"));
      m.getMetadata().setGeneration(2L);
    }, VALID));
    return all;
  }

  private static StepObservation step(StepObservation.Outcome outcome) {
    return switch (outcome) {
      case RUNNING -> StepObservation.running("going", "1/2", Duration.ofSeconds(3));
      case SUCCEEDED -> StepObservation.succeeded("done", new StepReport("2", "3", 0));
      case FAILED -> StepObservation.failed("boom", null);
      case MISSING -> StepObservation.missing("its Job is gone");
      case ACT_AGAIN -> StepObservation.actAgain("writing flag checkout");
    };
  }

  /** The Jobs seen running: none, the one the running step (or undo) owns, or one no decision adopts. */
  private static Map<String, List<String>> jobs(SchemaMigration m) {
    Map<String, List<String>> jobs = new LinkedHashMap<>();
    jobs.put("no Job", List.of());
    ownJob(m).ifPresent(own -> jobs.put("its own Job running", List.of(own)));
    jobs.put("another Job running", List.of(FOREIGN_JOB));
    return jobs;
  }

  private static Optional<String> ownJob(SchemaMigration m) {
    if (m.getStatus() == null || m.getStatus().getSteps() == null) {
      return Optional.empty();
    }
    for (StepStatus s : m.getStatus().getSteps()) {
      if (s.getState() == StepState.Running && s.getAttempts() != null) {
        return Optional.of(JobNames.forStep(NAME, s.getName(), s.getAttempts()));
      }
      if (s.getState() == StepState.RollingBack && s.getUndoAttempts() != null) {
        return Optional.of(JobNames.forUndo(NAME, s.getName(), s.getUndoAttempts()));
      }
    }
    return Optional.empty();
  }

  // ---- the walk ----------------------------------------------------------------------------

  @TestFactory
  Stream<DynamicTest> everyPhaseAgainstEveryObservation() {
    List<DynamicTest> tests = new ArrayList<>();
    states().forEach((stateName, state) -> {
      for (Situation situation : situations()) {
        for (Map.Entry<String, List<String>> job : jobs(state).entrySet()) {
          tests.add(DynamicTest.dynamicTest(stateName + " | " + situation.name() + " | " + job.getKey(),
              () -> check(state, situation, job.getValue())));
        }
      }
    });
    return tests.stream();
  }

  private static void check(SchemaMigration state, Situation situation, List<String> activeJobs) {
    SchemaMigration m = MigrationJson.copy(state);
    situation.change().accept(m);
    Observation observed = situation.observed().withActiveJobs(activeJobs);
    Phase before = m.getStatus() == null ? null : m.getStatus().getPhase();

    Decision d = DECIDER.decide(m, observed, T0);
    Phase after = d.status().getPhase();

    // Pure: the same inputs decide the same, and the input is left as it was.
    Decision again = DECIDER.decide(m, observed, T0);
    assertThat(MigrationJson.tree(again.status())).isEqualTo(MigrationJson.tree(d.status()));
    assertThat(again.action()).isEqualTo(d.action());
    assertThat(again.health()).isEqualTo(d.health());
    assertThat(MigrationJson.tree(m.getStatus())).isEqualTo(MigrationJson.tree(
        MigrationJson.copy(state).getStatus()));

    // Every decision says why, with a reason from the enum.
    assertThat(d.health().reason()).isNotNull();
    assertThat(d.health().message()).isNotBlank();
    assertThat(d.requeueAfter() == null || !d.requeueAfter().isNegative()).isTrue();

    // Each decision's phase is a legal transition.
    assertThat(LEGAL.get(before)).as("%s -> %s", before, after).contains(after);

    // Terminal phases stay terminal unless a person asked (retry, abort) or the spec changed.
    if (before != null && before.isTerminal() && !after.isTerminal()) {
      boolean asked = m.getMetadata().getAnnotations().containsKey(Annotations.RETRY)
          || m.getMetadata().getAnnotations().containsKey(Annotations.ABORT);
      boolean specChanged = !Objects.equals(m.getMetadata().getGeneration(), m.getStatus().getObservedGeneration());
      assertThat(asked || specChanged).as("%s left %s unasked", after, before).isTrue();
    }

    // Never two Jobs: a step starts or is undone beside a Job only when that Job is its own.
    if (!activeJobs.isEmpty()) {
      if (d.action() instanceof Action.StartStep start) {
        assertThat(activeJobs).containsOnly(JobNames.forStep(NAME, start.step(), attempts(d, start.step(), false)));
      }
      if (d.action() instanceof Action.UndoStep undo) {
        assertThat(activeJobs).containsOnly(JobNames.forUndo(NAME, undo.step(), attempts(d, undo.step(), true)));
      }
      // ... and the migration does not end (giving its database away) while one runs.
      assertThat(after.isTerminal() && (before == null || !before.isTerminal()))
          .as("ended %s beside a running Job", after).isFalse();
    }

    // Actions fit the phase.
    if (d.action() instanceof Action.StartStep) {
      assertThat(after).isEqualTo(Phase.Progressing);
    } else if (d.action() instanceof Action.UndoStep) {
      assertThat(after).isEqualTo(Phase.RollingBack);
    } else if (d.action() instanceof Action.ClearAnnotation clear) {
      assertThat(m.getMetadata().getAnnotations()).containsKey(clear.key());
    }
    if (d.health().stalled()) {
      assertThat(d.action()).as("a stalled migration acts").isEqualTo(Action.NONE);
    }

    // One step at a time.
    assertThat(d.status().getSteps().stream()
        .filter(s -> s.getState() == StepState.Running || s.getState() == StepState.RollingBack).count())
        .isLessThanOrEqualTo(1);

    // The cause of a failure is a field, there exactly while the migration is Failed.
    assertThat(d.status().getFailure() != null).as("status.failure in %s", after).isEqualTo(after == Phase.Failed);
    if (after == Phase.RollingBack || after == Phase.RolledBack) {
      assertThat(d.status().getRollback()).as("status.rollback in %s", after).isNotNull();
    }
  }

  private static int attempts(Decision d, String step, boolean undo) {
    StepStatus s = d.status().getSteps().stream().filter(x -> x.getName().equals(step)).findFirst().orElseThrow();
    Integer n = undo ? s.getUndoAttempts() : s.getAttempts();
    return n == null ? 1 : n;
  }

  /** Deleting waits for every Job of the migration to end, and only then lets it go. */
  @Test
  void deletionLetsGoOnlyWhenNoJobRuns() {
    assertThat(DECIDER.onDeletion(Observation.nothing()).letGo()).isTrue();
    MigrationDecider.Deletion held = DECIDER.onDeletion(Observation.nothing().withActiveJobs(List.of(FOREIGN_JOB)));
    assertThat(held.letGo()).isFalse();
    assertThat(held.recheck()).isPositive();
  }

  @Test
  void coversEveryPhase() {
    Set<Phase> reached = states().values().stream()
        .map(m -> m.getStatus() == null ? null : m.getStatus().getPhase())
        .filter(Objects::nonNull)
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(Phase.class)));
    assertThat(reached).containsExactlyInAnyOrder(Phase.values());
    assertThat(LEGAL.keySet()).containsAll(EnumSet.allOf(Phase.class));
  }

  @Test
  void coversEveryStepOutcome() {
    Set<StepObservation.Outcome> seen = situations().stream()
        .map(s -> s.observed().step()).filter(Objects::nonNull).map(StepObservation::outcome)
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(StepObservation.Outcome.class)));
    assertThat(seen).containsExactlyInAnyOrder(StepObservation.Outcome.values());
  }

  /** The states are what their names say (a state built wrong would make the walk test less). */
  @Test
  void theStatesAreWhatTheySay() {
    Map<String, SchemaMigration> states = states();
    Function<String, Phase> phase = name -> states.get(name).getStatus().getPhase();
    assertThat(phase.apply("queued")).isEqualTo(Phase.Queued);
    assertThat(phase.apply("paused")).isEqualTo(Phase.Paused);
    assertThat(phase.apply("waiting for approval")).isEqualTo(Phase.WaitingForApproval);
    assertThat(phase.apply("contract running")).isEqualTo(Phase.Progressing);
    assertThat(ownJob(states.get("contract running"))).contains(JobNames.forStep(NAME, "contract", 1));
    assertThat(ownJob(states.get("rolling back, expand undoing"))).contains(JobNames.forUndo(NAME, "expand", 1));
    assertThat(phase.apply("rolled back")).isEqualTo(Phase.RolledBack);
    assertThat(phase.apply("succeeded")).isEqualTo(Phase.Succeeded);
    assertThat(states.get("failed: step failed (Manual)").getStatus().getFailure().getReason().name())
        .isEqualTo("StepFailed");
    assertThat(states.get("failed: undo failed").getStatus().getFailure().getReason().name()).isEqualTo("UndoFailed");
    assertThat(states.get("failed: invalid spec").getStatus().getFailure().getReason().name())
        .isEqualTo("ValidationFailed");
    assertThat(states.get("failed: point of no return").getStatus().getFailure().getReason().name())
        .isEqualTo("PointOfNoReturn");
  }
}
