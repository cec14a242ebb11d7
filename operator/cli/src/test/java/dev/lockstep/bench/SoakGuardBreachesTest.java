package dev.lockstep.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.FlagStatus;
import dev.lockstep.api.Phase;
import dev.lockstep.api.PrometheusCheck;
import dev.lockstep.api.RollbackCause;
import dev.lockstep.api.RollbackStatus;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.SchemaMigrationStatus;
import dev.lockstep.api.StepState;
import dev.lockstep.api.StepStatus;
import dev.lockstep.gates.HttpPrometheusQuery;
import dev.lockstep.world.KubernetesWorld;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The soak's guard breaches against an in-process API server and the real fake Prometheus: a breach
 * waits for a migration in its {@code watch} step, is held until the migration leaves
 * {@code Progressing}, and the checks tell a breach answered by a guard rollback from one that was not,
 * and a rollback for a guard that was never breached.
 */
class SoakGuardBreachesTest {

  private final HttpPrometheusQuery prometheus = new HttpPrometheusQuery();
  private KubernetesWorld world;
  private KubernetesClient user;
  private SoakGuardBreaches breaches;
  private SoakLane lane;
  private PrometheusCheck guard;

  @BeforeEach
  void start() {
    world = KubernetesWorld.start();
    user = world.newClient();
    breaches = new SoakGuardBreaches();
    guard = breaches.guard("soak-0");
    lane = new SoakLane("soak-0", null, guard);
  }

  @AfterEach
  void stop() {
    breaches.close();
    world.close();
  }

  @Test
  void aBreachWaitsForTheWatchStepAndIsHeldUntilTheMigrationAnswersIt() {
    assertThat(value()).isZero();
    started(migration(0, Phase.Progressing, StepState.Running, StepState.Pending));
    breaches.arm();

    assertThat(breaches.injectArmed(new Random(1), List.of(lane), user)).as("before the watch step").isFalse();
    update(0, Phase.Progressing, StepState.Succeeded, StepState.Running);
    assertThat(breaches.injectArmed(new Random(1), List.of(lane), user)).isTrue();
    assertThat(breaches.injectArmed(new Random(1), List.of(lane), user)).as("armed once, injected once").isFalse();
    assertThat(value()).isEqualTo(SoakGuardBreaches.BREACHING);

    breaches.liftAnswered(user);
    assertThat(value()).as("held while the migration is Progressing").isEqualTo(SoakGuardBreaches.BREACHING);
    rolledBackForGuard(update(0, Phase.RollingBack, StepState.Failed, StepState.Pending));
    breaches.liftAnswered(user);
    assertThat(value()).isZero();

    rolledBackForGuard(update(0, Phase.RolledBack, StepState.Failed, StepState.Pending));
    List<String> violations = new ArrayList<>();
    assertThat(breaches.check(user, List.of(lane), violations)).as("guard rollbacks").isEqualTo(1);
    assertThat(violations).isEmpty();
  }

  @Test
  void aBreachedMigrationThatSucceededIsAViolation() {
    started(migration(0, Phase.Progressing, StepState.Succeeded, StepState.Running));
    breaches.arm();
    assertThat(breaches.injectArmed(new Random(1), List.of(lane), user)).isTrue();
    update(0, Phase.Succeeded, StepState.Succeeded, StepState.Succeeded);
    breaches.liftAnswered(user);

    List<String> violations = new ArrayList<>();
    assertThat(breaches.check(user, List.of(lane), violations)).isZero();
    assertThat(violations).singleElement().asString()
        .startsWith("soak-0-m0: its guard was breached at ").endsWith(", but it ended Succeeded");
  }

  @Test
  void aRollbackForAGuardNeverBreachedIsAViolation() {
    started(migration(0, Phase.Progressing, StepState.Succeeded, StepState.Running));
    rolledBackForGuard(update(0, Phase.RolledBack, StepState.Failed, StepState.Pending));

    List<String> violations = new ArrayList<>();
    assertThat(breaches.check(user, List.of(lane), violations)).isEqualTo(1);
    assertThat(violations).containsExactly(
        "soak-0-m0 rolled back for a guard that was never breached: guard breached: prometheus: ...");
  }

  @Test
  void aGuardRollbackThatLeftTheFlagFlippedIsAViolation() {
    started(migration(0, Phase.Progressing, StepState.Succeeded, StepState.Running));
    breaches.arm();
    breaches.injectArmed(new Random(1), List.of(lane), user);
    SchemaMigration m = update(0, Phase.RolledBack, StepState.Failed, StepState.Pending);
    FlagStatus flag = new FlagStatus();
    flag.setPrevious("off");
    flag.setVariant("on");
    m.getStatus().setFlags(Map.of(lane.flag(), flag));
    rolledBackForGuard(m);
    breaches.liftAnswered(user);

    List<String> violations = new ArrayList<>();
    breaches.check(user, List.of(lane), violations);
    assertThat(violations).containsExactly(
        "soak-0-m0 rolled back for its guard, but says its flag serves on, not off as before it");
  }

  private double value() {
    return prometheus.value(guard.getUrl(), guard.getQuery()).value();
  }

  private void started(SchemaMigration m) {
    SchemaMigrationStatus status = m.getStatus();
    SchemaMigration created = user.resource(m).create();
    created.setStatus(status);
    user.resource(created).updateStatus();
    lane.current = m.getMetadata().getName();
    lane.started++;
  }

  /** Migration k's status: its phase, the {@code flip} (before the watch) and {@code watch} steps. */
  private SchemaMigration migration(int k, Phase phase, StepState flip, StepState watch) {
    SchemaMigration m = new SchemaMigration();
    m.setMetadata(new ObjectMetaBuilder().withName(lane.migrationName(k)).withNamespace(SoakBenchmark.NAMESPACE)
        .build());
    SchemaMigrationStatus status = new SchemaMigrationStatus();
    status.setPhase(phase);
    status.setSteps(List.of(step("flip", flip), step(SoakLane.WATCH_STEP, watch)));
    m.setStatus(status);
    return m;
  }

  private SchemaMigration update(int k, Phase phase, StepState flip, StepState watch) {
    SchemaMigration m = lane.get(user, k);
    m.setStatus(migration(k, phase, flip, watch).getStatus());
    return user.resource(m).updateStatus();
  }

  private void rolledBackForGuard(SchemaMigration m) {
    m.getStatus().setRollback(new RollbackStatus(RollbackCause.GuardBreached, SoakLane.WATCH_STEP));
    m.getStatus().setRollbackReason("guard breached: prometheus: ...");
    user.resource(m).updateStatus();
  }

  private static StepStatus step(String name, StepState state) {
    StepStatus step = new StepStatus();
    step.setName(name);
    step.setState(state);
    return step;
  }
}
