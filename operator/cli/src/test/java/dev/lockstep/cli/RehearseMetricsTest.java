package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.runner.ContainerEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lockstep rehearse --metrics-port N}: a person can look at the operator's metrics while it rehearses. */
class RehearseMetricsTest {

  static final String MIGRATION = """
      apiVersion: lockstep.dev/v1alpha1
      kind: SchemaMigration
      metadata: {name: shop-price}
      spec:
        database: {name: shop, secretRef: {name: shop-db}}
        scripts: {configMapRef: {name: shop-migrations}}
        steps:
          - {name: create, migrate: {to: "1"}}
          - {name: price, migrate: {to: "2"}}
          - {name: settle, wait: {duration: 3s}}
      """;

  @TempDir Path dir;

  @Test
  void servesLockstepAndJosdkMetricsDuringARehearsal() throws Exception {
    Files.writeString(dir.resolve("scripts.yaml"), RehearseCommandTest.SCRIPTS);
    Files.writeString(dir.resolve("migration.yaml"), MIGRATION);
    int port = freePort();
    String url = "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + port;
    AtomicReference<String> lastScrape = new AtomicReference<>("");
    AtomicBoolean sawReady = new AtomicBoolean();
    AtomicBoolean done = new AtomicBoolean();
    Thread scraper = new Thread(() -> {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
      while (!done.get()) {
        try {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/metrics")).build(),
              HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            lastScrape.set(r.body());
            if (http.send(HttpRequest.newBuilder(URI.create(url + "/readyz")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
              sawReady.set(true);
            }
          }
          Thread.sleep(200);
        } catch (IOException e) {
          // not serving yet, or already stopped
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    scraper.start();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try {
      exit = Lockstep.run(new String[] {"rehearse", "-f", dir.toString(), "--timeout", "3m", "--metrics-port",
          Integer.toString(port)}, ContainerEnvironment.of(Map.of(), Path::of,
          new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8)));
    } finally {
      done.set(true);
      scraper.join();
    }

    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains(url + "/metrics");
    assertThat(lastScrape.get())
        .contains("lockstep_step_duration_seconds_count{kind=\"migrate\",outcome=\"succeeded\"} 2")
        .contains("lockstep_leader 1")
        .containsPattern("lockstep_migrations\\{phase=\"(Progressing|Succeeded)\"} 1")
        .contains("operator_sdk_reconciliations_started_total");
    assertThat(sawReady).as("/readyz answered 200 while the operator ran").isTrue();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
