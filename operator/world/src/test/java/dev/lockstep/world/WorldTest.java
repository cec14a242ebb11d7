package dev.lockstep.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.command.LockstepCommand;
import dev.lockstep.runner.ContainerEnvironment;
import dev.lockstep.world.database.DatabaseLogin;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The assembled world: a Job reaches the real database through the Secret the world made. */
class WorldTest {

  private static World world;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    world = World.start();
    client = world.kubernetes().newClient();
  }

  @AfterAll
  static void stop() {
    world.close();
  }

  @Test
  void aJobReachesTheDatabaseWithTheLoginFromItsSecret() throws Exception {
    world.images().registerEntrypoint("example.com/sql-runner", WorldTest::insertRow);
    world.createDatabaseSecret("shop", "orders-db", "orders");

    client.resource(job("insert", "example.com/sql-runner:1", List.of())).create();

    Pod pod = awaitSucceeded("insert");
    assertThat(pod.getStatus().getContainerStatuses().get(0).getState().getTerminated().getMessage())
        .isEqualTo("inserted 1 row");
    try (Connection connection = world.database().dataSource("orders").getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT note FROM notes")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(1)).isEqualTo("written by a Job");
    }
    assertThat(world.kubelet().logs("shop", pod.getMetadata().getName()))
        .doesNotContain(world.database().database("orders").password());
  }

  @Test
  void theLockstepProgramIsAContainerEntrypoint() {
    world.images().registerEntrypoint("ghcr.io/lockstep-dev/lockstep", LockstepCommand::run);
    world.createDatabaseSecret("shop", "orders-db", "orders");

    client.resource(job("version", "ghcr.io/lockstep-dev/lockstep:0.1.0", List.of("--version"))).create();

    Pod pod = awaitSucceeded("version");
    assertThat(pod.getStatus().getContainerStatuses().get(0).getState().getTerminated().getExitCode()).isZero();
    assertThat(world.kubelet().logs("shop", pod.getMetadata().getName())).isNotBlank();
  }

  private static int insertRow(String[] args, ContainerEnvironment env) throws Exception {
    DatabaseLogin login = new DatabaseLogin(
        env.env("LOCKSTEP_DB_URL"), env.env("LOCKSTEP_DB_USERNAME"), env.env("LOCKSTEP_DB_PASSWORD"));
    try (Connection connection = login.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE notes (note text)");
      int rows = statement.executeUpdate("INSERT INTO notes VALUES ('written by a Job')");
      Files.writeString(env.file(ContainerEnvironment.TERMINATION_LOG), "inserted " + rows + " row");
    }
    env.out().println("connected as " + login);
    return 0;
  }

  private static Job job(String name, String image, List<String> args) {
    return new JobBuilder()
        .withNewMetadata().withName(name).withNamespace("shop").endMetadata()
        .withNewSpec().withBackoffLimit(0).withNewTemplate().withNewSpec().withRestartPolicy("Never")
        .addToContainers(new ContainerBuilder().withName("runner").withImage(image).withArgs(args)
            .withEnv(List.of("url", "username", "password").stream().map(key -> new EnvVarBuilder()
                .withName("LOCKSTEP_DB_" + key.toUpperCase()).withNewValueFrom().withNewSecretKeyRef()
                .withName("orders-db").withKey(key).endSecretKeyRef().endValueFrom().build()).toList())
            .build())
        .endSpec().endTemplate().endSpec().build();
  }

  private static Pod awaitSucceeded(String job) {
    await().atMost(Duration.ofSeconds(20)).until(() -> client.pods().inNamespace("shop").withLabel("job-name", job)
        .list().getItems().stream()
        .anyMatch(p -> p.getStatus() != null && "Succeeded".equals(p.getStatus().getPhase())));
    return client.pods().inNamespace("shop").withLabel("job-name", job).list().getItems().get(0);
  }
}
