package dev.lockstep.cli.kubectl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.StepState;
import dev.lockstep.cli.kubectl.KubectlWorld.Run;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code status --watch} redraws as the status moves and stops when the migration ends. */
class StatusWatchTest {

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
  void redrawsOnEveryChangeAndExitsZeroWhenTheMigrationSucceeds() throws Exception {
    world.create(Fixtures.BACKFILL_RUNNING);
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    CompletableFuture<Run> watch = CompletableFuture.supplyAsync(
        () -> world.kubectl(screen, "status", "shop-cents", "--watch", "--refresh", "200ms"));
    awaitFirstFrame(screen, watch);

    setStatus(m -> m.getStatus().getSteps().get(1).setProgress("30000/52000 rows, 1400 rows/s"));
    setStatus(m -> {
      m.getStatus().getSteps().forEach(s -> s.setState(StepState.Succeeded));
      m.getStatus().setPhase(Phase.Succeeded);
      m.getStatus().setMessage("all 4 steps succeeded");
    });
    Run run = watch.get(30, TimeUnit.SECONDS);

    assertThat(run.exit()).as(run.err()).isZero();
    String[] frames = run.out().split(StatusWatch.CLEAR.replace("[", "\\["), -1);
    assertThat(frames.length - 1).as("frames drawn").isGreaterThanOrEqualTo(3);
    assertThat(frames[1]).contains("progress: 10000/52000 rows");
    assertThat(run.out()).contains("progress: 30000/52000 rows");
    assertThat(frames[frames.length - 1]).contains("Phase:       ✔ Succeeded").doesNotContain("Waiting for:");
  }

  @Test
  void endsAtOnceForAFinishedMigrationWithItsOutcome() {
    world.create(Fixtures.FAILED_MANUAL);

    Run run = world.kubectl("status", "shop-cents", "-w");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).startsWith(StatusWatch.CLEAR).contains("Phase:       ✖ Failed");
  }

  @Test
  void saysSoWhenTheMigrationIsDeleted() throws Exception {
    world.create(Fixtures.BACKFILL_RUNNING);
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    CompletableFuture<Run> watch = CompletableFuture.supplyAsync(
        () -> world.kubectl(screen, "status", "shop-cents", "--watch", "--refresh", "200ms"));
    awaitFirstFrame(screen, watch);

    world.client.resources(SchemaMigration.class).inNamespace(KubectlWorld.NAMESPACE).withName("shop-cents").delete();
    Run run = watch.get(30, TimeUnit.SECONDS);

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("SchemaMigration shop/shop-cents was deleted");
  }

  /**
   * Waits until the first frame is drawn. A change made before the command opens its watch is not
   * lost: a watch starts with the object as it is then.
   */
  private static void awaitFirstFrame(ByteArrayOutputStream screen, CompletableFuture<Run> watch) {
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
        .until(() -> screen.toString(StandardCharsets.UTF_8).contains("Steps") || watch.isDone());
    assertThat(watch).as("still watching").isNotDone();
  }

  private void setStatus(Consumer<SchemaMigration> change) {
    SchemaMigration m = world.get("shop-cents");
    change.accept(m);
    world.client.resource(m).updateStatus();
  }
}
