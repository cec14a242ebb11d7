package dev.lockstep.cli.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.Annotations;
import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.cli.kubectl.KubectlWorld.Run;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every verb of the plugin against an in-process API server, found through a kubeconfig. */
class KubectlVerbsTest {

  @TempDir Path directory;
  KubectlWorld world;

  @BeforeEach
  void start() {
    world = new KubectlWorld(directory);
  }

  @AfterEach
  void stop() {
    world.close();
  }

  @Test
  void statusShowsTheStepTreeAndWhatTheMigrationWaitsFor() {
    world.create(Fixtures.WAITING_FOR_APPROVAL);

    Run run = world.kubectl("status", "orders-total-cents");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("Phase:       ॥ WaitingForApproval")
        .contains("Step:        read-cents (7 of 8)")
        .contains("Waiting for: approval of step read-cents: kubectl lockstep approve orders-total-cents")
        .contains("├──✔ expand ")
        .contains("│    Job: orders-total-cents-expand-1")
        .contains("├──○ read-cents ")
        .contains("(waits for approval)")
        .contains("└──○ contract ")
        .contains("orders-cents-read        serves on to 10% (was off), observed 10.0%");
  }

  @Test
  void statusOfAMissingMigrationSaysWhereItLooked() {
    Run run = world.kubectl("status", "nope");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("SchemaMigration nope not found in namespace shop");
  }

  @Test
  void namespaceAndContextAreChosenAsKubectlChoosesThem() {
    SchemaMigration elsewhere = Fixtures.load(Fixtures.BACKFILL_RUNNING);
    elsewhere.getMetadata().setNamespace("other");
    world.create(elsewhere);

    assertThat(world.kubectl("status", "shop-cents").exit()).isEqualTo(1);
    assertThat(world.kubectl("status", "shop-cents", "-n", "other").out()).contains("Namespace:   other");
    assertThat(world.kubectl("-n", "other", "status", "shop-cents").exit()).isZero();
    assertThat(world.kubectl("--context", "elsewhere", "status", "shop-cents").out()).contains("Namespace:   other");
    Run noSuchContext = world.kubectl("status", "shop-cents", "--context", "nowhere");
    assertThat(noSuchContext.exit()).isEqualTo(1);
    assertThat(noSuchContext.err()).contains("the kubeconfig has no context nowhere");
  }

  @Test
  void listShowsPhaseStepVersionAndAgeInOneNamespaceOrAll() {
    world.create(Fixtures.WAITING_FOR_APPROVAL);
    SchemaMigration elsewhere = Fixtures.load(Fixtures.BACKFILL_RUNNING);
    elsewhere.getMetadata().setNamespace("other");
    world.create(elsewhere);

    Run here = world.kubectl("list");
    Run everywhere = world.kubectl("list", "-A");
    Run empty = world.kubectl("list", "-n", "empty");

    assertThat(here.exit()).as(here.err()).isZero();
    assertThat(here.out().lines()).hasSize(2);
    assertThat(here.out().lines().findFirst().orElseThrow()).matches("NAME +PHASE +STEP +STEPS +VERSION +AGE");
    assertThat(here.out()).containsPattern("orders-total-cents +WaitingForApproval +read-cents +6/8 +3 +\\d+s");
    assertThat(everywhere.out().lines().findFirst().orElseThrow()).startsWith("NAMESPACE ");
    assertThat(everywhere.out()).containsPattern("other +shop-cents +Progressing +fill +1/4 +2 ")
        .containsPattern("shop +orders-total-cents +WaitingForApproval");
    assertThat(empty.exit()).isZero();
    assertThat(empty.err()).contains("No SchemaMigrations found in namespace empty.");
  }

  @Test
  void approveApprovesTheWaitingStepAndTouchesNothingElse() {
    SchemaMigration before = world.create(Fixtures.WAITING_FOR_APPROVAL);

    Run run = world.kubectl("approve", "orders-total-cents");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("approved step read-cents of SchemaMigration shop/orders-total-cents; it starts now");
    SchemaMigration after = world.get("orders-total-cents");
    assertThat(after.getMetadata().getAnnotations()).containsEntry(Annotations.APPROVE, "read-cents");
    assertThat(after.getMetadata().getGeneration()).isEqualTo(before.getMetadata().getGeneration());
    assertThat(after.getSpec().getSteps()).hasSameSizeAs(before.getSpec().getSteps());
    assertThat(after.getStatus().getPhase()).isEqualTo(Phase.WaitingForApproval);
  }

  @Test
  void approveOfALaterStepAddsToTheListAndTwiceIsHarmless() {
    SchemaMigration migration = Fixtures.load(Fixtures.WAITING_FOR_APPROVAL);
    migration.getMetadata().setAnnotations(Map.of("argocd.argoproj.io/sync-wave", "-1"));
    world.create(migration);

    assertThat(world.kubectl("approve", "orders-total-cents").exit()).isZero();
    Run ahead = world.kubectl("approve", "orders-total-cents", "contract");
    Run again = world.kubectl("approve", "orders-total-cents", "contract");

    assertThat(ahead.out()).contains("approved step contract").contains("once it is reached");
    assertThat(again.exit()).isZero();
    assertThat(again.out()).contains("step contract of SchemaMigration shop/orders-total-cents is already approved");
    assertThat(world.annotations("orders-total-cents")).containsExactlyInAnyOrderEntriesOf(Map.of(
        Annotations.APPROVE, "read-cents,contract", "argocd.argoproj.io/sync-wave", "-1"));
  }

  @Test
  void approveWhenNothingWaitsNamesThePhase() {
    world.create(Fixtures.BACKFILL_RUNNING);

    Run run = world.kubectl("approve", "shop-cents");
    Run noApprovalNeeded = world.kubectl("approve", "shop-cents", "soak");
    Run alreadyRan = world.kubectl("approve", "shop-cents", "expand");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("SchemaMigration shop/shop-cents is Progressing: no step waits for approval")
        .contains("kubectl lockstep approve shop-cents contract");
    assertThat(noApprovalNeeded.err()).contains("step soak of SchemaMigration shop/shop-cents does not need approval");
    assertThat(alreadyRan.exit()).isEqualTo(1);
    assertThat(world.annotations("shop-cents")).doesNotContainKey(Annotations.APPROVE);
  }

  @Test
  void pauseAndResumeSetAndRemoveTheAnnotation() {
    world.create(Fixtures.BACKFILL_RUNNING);

    Run pause = world.kubectl("pause", "shop-cents");
    Run pauseAgain = world.kubectl("pause", "shop-cents");
    Map<String, String> paused = world.annotations("shop-cents");
    Run resume = world.kubectl("resume", "shop-cents");
    Run resumeAgain = world.kubectl("resume", "shop-cents");

    assertThat(pause.exit()).as(pause.err()).isZero();
    assertThat(pause.out()).contains("paused SchemaMigration shop/shop-cents").contains("step fill runs to its end first");
    assertThat(paused).containsEntry(Annotations.PAUSE, "true");
    assertThat(pauseAgain.out()).contains("already paused");
    assertThat(resume.exit()).isZero();
    assertThat(world.annotations("shop-cents")).doesNotContainKey(Annotations.PAUSE);
    assertThat(resumeAgain.exit()).isEqualTo(1);
    assertThat(resumeAgain.err()).contains("SchemaMigration shop/shop-cents is not paused (it is Progressing)");
  }

  @Test
  void pauseOfAFinishedMigrationIsRefused() {
    world.create(Fixtures.FAILED_MANUAL);

    Run run = world.kubectl("pause", "shop-cents");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("is Failed: there is nothing left to pause");
    assertThat(world.annotations("shop-cents")).doesNotContainKey(Annotations.PAUSE);
  }

  @Test
  void abortSetsTheAnnotationWhileThereIsSomethingToRollBack() {
    world.create(Fixtures.FAILED_MANUAL);
    SchemaMigration succeeded = Fixtures.load(Fixtures.BACKFILL_RUNNING);
    succeeded.getMetadata().setName("done");
    succeeded.getStatus().setPhase(Phase.Succeeded);
    world.create(succeeded);

    Run abort = world.kubectl("abort", "shop-cents");
    Run refused = world.kubectl("abort", "done");

    assertThat(abort.exit()).as(abort.err()).isZero();
    assertThat(abort.out()).contains("aborting SchemaMigration shop/shop-cents");
    assertThat(world.annotations("shop-cents")).containsEntry(Annotations.ABORT, "true");
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).contains("SchemaMigration shop/done is Succeeded: abort rolls back only");
    assertThat(world.annotations("done")).doesNotContainKey(Annotations.ABORT);
  }

  @Test
  void retryAsksForTheFailedStepAndSaysSoOfAStepThatDidNotFail() {
    world.create(Fixtures.FAILED_MANUAL);

    Run notFailed = world.kubectl("retry", "shop-cents", "expand");
    Run unknown = world.kubectl("retry", "shop-cents", "nope");
    Run retry = world.kubectl("retry", "shop-cents", "fill");

    assertThat(notFailed.exit()).isEqualTo(1);
    assertThat(notFailed.err()).contains("step expand of SchemaMigration shop/shop-cents did not fail: it is Succeeded");
    assertThat(unknown.err()).contains("has no step nope; its steps are expand, fill, soak, contract");
    assertThat(retry.exit()).as(retry.err()).isZero();
    assertThat(retry.out()).contains("runs it again as attempt 3");
    assertThat(world.annotations("shop-cents")).containsEntry(Annotations.RETRY, "fill");
  }

  @Test
  void repairAsksForTheRepairJobAndWithRetryForTheRetryTooAndStatusShowsIt() {
    SchemaMigration stuck = Fixtures.load(Fixtures.FAILED_MANUAL);
    dev.lockstep.api.RepairStatus repair = new dev.lockstep.api.RepairStatus();
    repair.setStep("fill");
    repair.setReason(dev.lockstep.api.RepairReason.FailedMigration);
    repair.setVersion("3");
    repair.setScript("V3__fill.sql");
    stuck.getStatus().setRepair(repair);
    world.create(stuck);
    world.create(Fixtures.WAITING_FOR_APPROVAL);

    Run status = world.kubectl("status", "shop-cents");
    Run retry = world.kubectl("retry", "shop-cents", "fill");
    Run refused = world.kubectl("repair", "orders-total-cents");
    Run run = world.kubectl("repair", "shop-cents", "--retry");

    assertThat(status.out()).contains("Repair:      needed (FailedMigration): kubectl lockstep repair shop-cents");
    assertThat(retry.exit()).isEqualTo(1);
    assertThat(retry.err()).contains("needs repair first (FailedMigration): kubectl lockstep repair shop-cents --retry");
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).contains("needs no repair");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("repairing step fill of SchemaMigration shop/shop-cents");
    assertThat(world.annotations("shop-cents"))
        .containsEntry(Annotations.REPAIR, "true").containsEntry(Annotations.RETRY, "fill");
  }

  @Test
  void retryWhileRollingBackIsRefused() {
    world.create(Fixtures.ROLLING_BACK);

    Run run = world.kubectl("retry", "shop-cents", "fill");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("step fill failed, but SchemaMigration shop/shop-cents is RollingBack");
  }

  @Test
  void anUnreachableClusterIsReportedWithItsAddress() throws Exception {
    Path config = directory.resolve("unreachable");
    java.nio.file.Files.writeString(config, KubectlWorld.kubeconfig("http://127.0.0.1:1"));

    Run run = KubectlWorld.lockstep("kubectl", "--kubeconfig", config.toString(), "list");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("listing SchemaMigrations: cannot reach the API server at http://127.0.0.1:1");
  }
}
