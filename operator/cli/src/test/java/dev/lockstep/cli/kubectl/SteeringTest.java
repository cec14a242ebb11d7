package dev.lockstep.cli.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.Annotations;
import dev.lockstep.api.Phase;
import dev.lockstep.api.RepairStatus;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.StepState;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules of the steering verbs that the world tests do not reach, on fixed migrations. */
class SteeringTest {

  @Test
  void resumeOfAMigrationPausedByABreachedGuardSaysItGoesOnByItself() {
    SchemaMigration m = Fixtures.load(Fixtures.BACKFILL_RUNNING);
    m.getStatus().setPhase(Phase.Paused);
    m.getStatus().setMessage("guard breached: pods not ready");

    assertThat(Steering.resume(m)).isInstanceOfSatisfying(Steering.Refused.class, r -> assertThat(r.why())
        .contains("is Paused by a breached guard, not by lockstep.dev/pause").contains("guard breached: pods not ready"));
  }

  @Test
  void abortOfAFailedMigrationWithNothingCompletedIsRefused() {
    SchemaMigration m = Fixtures.load(Fixtures.FAILED_MANUAL);
    m.getStatus().getSteps().get(0).setState(StepState.Pending);

    assertThat(Steering.abort(m)).isInstanceOfSatisfying(Steering.Refused.class,
        r -> assertThat(r.why()).contains("no step completed: there is nothing to roll back"));
  }

  @Test
  void abortWhileRollingBackIsAlreadyDone() {
    assertThat(Steering.abort(Fixtures.load(Fixtures.ROLLING_BACK))).isInstanceOf(Steering.AlreadyDone.class);
  }

  @Test
  void approveOfAFinishedMigrationChangesNothingAndSaysSo() {
    SchemaMigration m = Fixtures.load(Fixtures.FAILED_MANUAL);

    assertThat(Steering.approve(m, "contract")).isInstanceOfSatisfying(Steering.Refused.class,
        r -> assertThat(r.why()).contains("is Failed: approving step contract would change nothing"));
    assertThat(Steering.approve(m, null)).isInstanceOfSatisfying(Steering.Refused.class,
        r -> assertThat(r.why()).contains("is Failed: no step waits for approval"));
  }

  @Test
  void approveIsSentWithTheResourceVersionItWasDecidedOn() {
    SchemaMigration m = Fixtures.load(Fixtures.WAITING_FOR_APPROVAL);
    m.getMetadata().setAnnotations(new HashMap<>(Map.of(Annotations.APPROVE, "contract")));

    assertThat(Steering.approve(m, null)).isInstanceOfSatisfying(Steering.Change.class, change -> {
      assertThat(change.conditional()).isTrue();
      assertThat(change.annotations()).containsExactly(Map.entry(Annotations.APPROVE, "contract,read-cents"));
    });
  }

  @Test
  void resumeRemovesTheAnnotationWithANull() {
    SchemaMigration m = Fixtures.load(Fixtures.BACKFILL_RUNNING);
    m.getMetadata().setAnnotations(Map.of(Annotations.PAUSE, "true"));

    assertThat(Steering.resume(m)).isInstanceOfSatisfying(Steering.Change.class, change ->
        assertThat(change.annotations()).containsEntry(Annotations.PAUSE, null).hasSize(1));
  }

  @Test
  void agesReadAsKubectlPrintsThem() {
    assertThat(HumanDuration.of(Duration.ofSeconds(45))).isEqualTo("45s");
    assertThat(HumanDuration.of(Duration.ofSeconds(119))).isEqualTo("119s");
    assertThat(HumanDuration.of(Duration.ofSeconds(330))).isEqualTo("5m30s");
    assertThat(HumanDuration.of(Duration.ofMinutes(45))).isEqualTo("45m");
    assertThat(HumanDuration.of(Duration.ofMinutes(192))).isEqualTo("3h12m");
    assertThat(HumanDuration.of(Duration.ofHours(27))).isEqualTo("27h");
    assertThat(HumanDuration.of(Duration.ofHours(52))).isEqualTo("2d4h");
    assertThat(HumanDuration.of(Duration.ofDays(40))).isEqualTo("40d");
  }

  private static SchemaMigration needingRepair() {
    SchemaMigration m = Fixtures.load(Fixtures.FAILED_MANUAL);
    String failed = m.getStatus().getSteps().stream().filter(s -> s.getState() == StepState.Failed).findFirst()
        .orElseThrow().getName();
    RepairStatus repair = new RepairStatus();
    repair.setStep(failed);
    repair.setReason(dev.lockstep.api.RepairReason.FailedMigration);
    m.getStatus().setRepair(repair);
    return m;
  }

  @Test
  void repairSetsTheRepairAnnotationAndWithRetryTheRetryToo() {
    SchemaMigration m = needingRepair();
    String step = m.getStatus().getRepair().getStep();

    assertThat(Steering.repair(m, false)).isInstanceOfSatisfying(Steering.Change.class,
        change -> assertThat(change.annotations()).containsExactly(Map.entry(Annotations.REPAIR, "true")));
    assertThat(Steering.repair(m, true)).isInstanceOfSatisfying(Steering.Change.class, change -> {
      assertThat(change.annotations()).containsExactly(
          Map.entry(Annotations.REPAIR, "true"), Map.entry(Annotations.RETRY, step));
      assertThat(change.done()).contains("once it succeeded, step " + step + " is retried");
    });
    assertThat(Steering.retry(m, step)).isInstanceOfSatisfying(Steering.Refused.class,
        r -> assertThat(r.why()).contains("needs repair first (FailedMigration)"));
  }

  @Test
  void repairOfAMigrationThatNeedsNoneIsRefusedAndOfARunningRepairIsAlreadyDone() {
    assertThat(Steering.repair(Fixtures.load(Fixtures.FAILED_MANUAL), false))
        .isInstanceOfSatisfying(Steering.Refused.class, r -> assertThat(r.why()).contains("needs no repair"));
    SchemaMigration m = needingRepair();
    m.getStatus().getRepair().setStartedAt("2026-12-02T10:00:00Z");
    m.getStatus().getRepair().setJob("orders-contract-repair-1");

    assertThat(Steering.repair(m, true)).isInstanceOfSatisfying(Steering.AlreadyDone.class,
        r -> assertThat(r.why()).contains("runs already (Job orders-contract-repair-1)"));
  }
}
