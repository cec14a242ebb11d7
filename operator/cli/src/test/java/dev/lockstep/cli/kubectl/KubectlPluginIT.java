package dev.lockstep.cli.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.Annotations;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file the build makes, {@code target/kubectl-lockstep}, run as kubectl runs a plugin: found on
 * PATH, as its own process, against an API server (in this JVM) named by a kubeconfig.
 */
class KubectlPluginIT {

  static final Path PLUGIN = Path.of("target", "kubectl-lockstep").toAbsolutePath();

  @TempDir Path directory;
  KubectlWorld world;

  record Result(int exit, String out, String err) {}

  @BeforeEach
  void start() {
    world = new KubectlWorld(directory);
  }

  @AfterEach
  void stop() {
    world.close();
  }

  @Test
  void isOneExecutableFileThatStartsAsAShellScript() throws IOException {
    assertThat(Files.isExecutable(PLUGIN)).as(PLUGIN + " is built by mvn package").isTrue();
    byte[] head = Files.readAllBytes(PLUGIN);
    assertThat(new String(head, 0, 9, StandardCharsets.US_ASCII)).isEqualTo("#!/bin/sh");
  }

  @Test
  void kubectlFindsItOnPathAndItSteersTheCluster() throws Exception {
    world.create(Fixtures.WAITING_FOR_APPROVAL);

    Result status = run("kubectl-lockstep", "status", "orders-total-cents", "--kubeconfig", world.kubeconfig.toString());
    Result approve = run("kubectl-lockstep", "approve", "orders-total-cents", "--kubeconfig", world.kubeconfig.toString());

    assertThat(status.exit()).as(status.err()).isZero();
    assertThat(status.out()).contains("Phase:       ॥ WaitingForApproval").contains("└──○ contract ");
    assertThat(approve.exit()).as(approve.err()).isZero();
    assertThat(world.annotations("orders-total-cents")).containsEntry(Annotations.APPROVE, "read-cents");
  }

  @Test
  void helpReadsAsTheUserTypedIt() throws Exception {
    Result help = run("kubectl-lockstep", "status", "--help");

    assertThat(help.exit()).as(help.err()).isZero();
    assertThat(help.out()).startsWith("Usage: kubectl lockstep status ");
  }

  @Test
  void plansWithoutACluster() throws Exception {
    Result plan = run("kubectl-lockstep", "plan", "-f", Path.of("..", "..", "examples", "orders").toAbsolutePath().toString());

    assertThat(plan.exit()).as(plan.err()).isZero();
    assertThat(plan.out()).containsPattern("contract +migrate +high +required");
  }

  @Test
  void refusalsExitOneWithTheReason() throws Exception {
    world.create(Fixtures.BACKFILL_RUNNING);

    Result approve = run("kubectl-lockstep", "approve", "shop-cents", "--kubeconfig", world.kubeconfig.toString());

    assertThat(approve.exit()).isEqualTo(1);
    assertThat(approve.err()).contains("is Progressing: no step waits for approval");
  }

  /** Runs a command through {@code sh}, with the plugin's directory first on PATH, as kubectl would find it. */
  private Result run(String... command) throws Exception {
    // sh looks the plugin up on the PATH given here (Java would use its own PATH).
    List<String> args = new ArrayList<>(List.of("sh", "-c", "exec \"$0\" \"$@\""));
    args.addAll(List.of(command));
    ProcessBuilder builder = new ProcessBuilder(args).directory(directory.toFile());
    builder.environment().put("PATH", PLUGIN.getParent() + File.pathSeparator + System.getenv("PATH"));
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().remove("KUBECONFIG");
    builder.redirectOutput(directory.resolve("out").toFile()).redirectError(directory.resolve("err").toFile());
    Process process = builder.start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("finished").isTrue();
    return new Result(process.exitValue(), Files.readString(directory.resolve("out")),
        Files.readString(directory.resolve("err")));
  }
}
