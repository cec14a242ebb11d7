package dev.lockstep.e2e;

import static dev.lockstep.reconcile.Migrations.approved;
import static dev.lockstep.reconcile.Migrations.migrate;
import static dev.lockstep.reconcile.Migrations.migration;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.Phase;
import dev.lockstep.cli.Lockstep;
import dev.lockstep.runner.ContainerEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kubectl plugin steering the real operator: a step waits, the plugin approves it, the migration ends. */
class KubectlEndToEndTest extends ClusterTest {

  @TempDir Path directory;

  private record Run(int exit, String out, String err) {}

  @Test
  void approveLetsTheWaitingStepRunAndStatusFollowsItToTheEnd() throws Exception {
    world.secret("orders-db");
    world.scripts("orders-migrations", MigrationEndToEndTest.SCRIPTS);
    world.apply(migration(migrate("expand", "2"), approved(migrate("fill", "3"))));
    world.awaitApprovalOf("orders-currency", "fill");

    Run waiting = kubectl("status", "orders-currency");
    Run approve = kubectl("approve", "orders-currency");
    world.awaitPhase("orders-currency", Phase.Succeeded);
    Run done = kubectl("status", "orders-currency", "--watch");
    Run list = kubectl("list");

    assertThat(waiting.out()).contains("Waiting for: approval of step fill: kubectl lockstep approve orders-currency")
        .contains("├──✔ expand").contains("Job: orders-currency-expand-1").contains("└──○ fill");
    assertThat(approve.exit()).as(approve.err()).isZero();
    assertThat(done.exit()).as(done.err()).isZero();
    assertThat(done.out()).contains("Phase:       ✔ Succeeded").contains("└──✔ fill").contains("schema: 2 → 3");
    assertThat(list.out()).containsPattern("orders-currency +Succeeded +fill +2/2 +3 ");
    assertThat(world.appliedVersions()).containsExactly("1", "2", "3");
  }

  private Run kubectl(String... args) throws Exception {
    Path kubeconfig = directory.resolve("kubeconfig");
    if (!Files.exists(kubeconfig)) {
      Files.writeString(kubeconfig, """
          apiVersion: v1
          kind: Config
          clusters: [{name: local, cluster: {server: "%s"}}]
          contexts: [{name: local, context: {cluster: local, user: me, namespace: %s}}]
          current-context: local
          users: [{name: me, user: {}}]
          """.formatted(world.cluster.world().apiUrl(), ClusterFixture.NAMESPACE));
    }
    List<String> all = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
    all.addAll(List.of(args));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = Lockstep.run(all.toArray(String[]::new), ContainerEnvironment.of(Map.of(), Path::of,
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
