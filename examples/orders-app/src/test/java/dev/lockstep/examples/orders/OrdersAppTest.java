package dev.lockstep.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application over HTTP, its flags in a flagd JSON file (as a mounted ConfigMap would hold them),
 * walked through the whole migration by hand: expand, dual writes, fill, read canary, read switch,
 * contract.
 */
class OrdersAppTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path directory;
  private Path flagFile;
  private OrdersDatabase.Database db;
  private OrdersApp app;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();

  @BeforeEach
  void start() throws Exception {
    db = OrdersDatabase.shared().create("1");
    flagFile = directory.resolve("flags.flagd.json");
    writeFlags("off", "off", null);
    AppConfig config = new AppConfig(db.url(), "postgres", "", "127.0.0.1", 0, Duration.ofMillis(100),
        new FlagSourceConfig(FlagSourceConfig.Resolver.FILE, null, 0, flagFile, Duration.ofMillis(50)));
    app = OrdersApp.start(config, new PrintStream(log, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void stop() {
    app.close();
  }

  /** The flagd document; {@code readPercent} adds a percent rollout of "on" to the read flag. */
  private void writeFlags(String dualWrite, String read, Integer readPercent) throws IOException {
    String targeting = readPercent == null ? ""
        : ", \"targeting\": {\"fractional\": [[\"on\", " + readPercent + "], [\"off\", " + (100 - readPercent) + "]]}";
    String document = """
        {"flags": {
          "orders-cents-dual-write": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "%s"},
          "orders-cents-read": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "%s"%s}
        }}
        """.formatted(dualWrite, read, targeting);
    Path aside = Files.createTempFile(directory, "flags", ".json");
    Files.writeString(aside, document);
    Files.move(aside, flagFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode getJson(String path) throws Exception {
    return JSON.readTree(get(path).body());
  }

  private JsonNode create(String customer, String total) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri("/orders"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"customer\": \"" + customer + "\", \"total\": \"" + total + "\"}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return JSON.readTree(response.body());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + app.address().getPort() + path);
  }

  private void awaitCompat(String min, String max) {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      JsonNode schema = getJson("/lockstep/compat").path("schema");
      assertThat(schema.path("min").asText() + "-" + schema.path("max").asText()).isEqualTo(min + "-" + max);
    });
  }

  private void awaitReady(boolean ready) {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(
        () -> assertThat(get("/ready").statusCode()).isEqualTo(ready ? 200 : 503));
  }

  @Test
  void theWholeWalkFromTotalToTotalCents() throws Exception {
    awaitReady(true);
    awaitCompat("1", "3");
    JsonNode before = create("ada", "12.50");
    assertThat(before.path("columns").toString()).isEqualTo("[\"total\"]");
    assertThat(getJson("/orders/" + before.path("id").asLong()).path("source").asText()).isEqualTo("total");

    db.migrateTo("2");
    writeFlags("on", "off", null);
    awaitCompat("2", "3");
    JsonNode dual = create("bob", "7.05");
    assertThat(dual.path("columns").toString()).isEqualTo("[\"total\",\"total_cents\"]");

    db.migrateTo("3");
    writeFlags("on", "off", 50);
    awaitCompat("3", "3");
    long fromCents = IntStream.rangeClosed(1, 200).filter(id -> {
      try {
        return getJson("/orders/" + id).path("source").asText().equals("total_cents");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).count();
    assertThat(fromCents).as("orders 1-200 read from total_cents with a 50%% rollout").isBetween(70L, 130L);

    writeFlags("on", "on", null);
    awaitCompat("3", "4");
    db.migrateTo("4");
    JsonNode after = create("cy", "3.30");
    assertThat(after.path("columns").toString()).isEqualTo("[\"total_cents\"]");
    JsonNode read = getJson("/orders/" + dual.path("id").asLong());
    assertThat(read.path("total").asText()).isEqualTo("7.05");
    assertThat(read.path("source").asText()).isEqualTo("total_cents");
    assertThat(put("/orders/" + dual.path("id").asLong(), "{\"total\": \"8.00\"}").statusCode()).isEqualTo(200);
    assertThat(getJson("/orders/" + dual.path("id").asLong()).path("total").asText()).isEqualTo("8.00");
    awaitReady(true);
  }

  private HttpResponse<String> put(String path, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(uri(path)).PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void outsideItsRangeTheAppIsNotReadyAndSaysWhy() throws Exception {
    awaitReady(true);

    db.migrateTo("4");

    awaitReady(false);
    JsonNode ready = getJson("/ready");
    assertThat(ready.path("schemaVersion").asText()).isEqualTo("4");
    assertThat(ready.path("reason").asText()).contains("schema version 4 is outside").contains("1-3");
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("schema version 4").contains("not ready: ");
  }

  /**
   * Issue #9: under load the compatibility probe timed out behind orders requests and the operator saw
   * a false breach. With every orders thread stuck on a locked table, the probe still answers.
   */
  @Test
  void theProbeAnswersWhileEveryOrdersRequestIsStuck() throws Exception {
    awaitReady(true);
    try (Connection locker = db.connections().open()) {
      locker.setAutoCommit(false);
      try (Statement statement = locker.createStatement()) {
        statement.execute("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE");
      }
      List<CompletableFuture<HttpResponse<String>>> stuck = IntStream.range(0, 12).mapToObj(i -> HTTP.sendAsync(
          HttpRequest.newBuilder(uri("/orders")).POST(HttpRequest.BodyPublishers.ofString(
              "{\"customer\": \"c" + i + "\", \"total\": \"1.00\"}")).build(),
          HttpResponse.BodyHandlers.ofString())).toList();
      await().atMost(Duration.ofSeconds(10)).until(() -> busyOrdersThreads() >= 8);

      HttpResponse<String> compat = HTTP.send(HttpRequest.newBuilder(uri("/lockstep/compat"))
          .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());

      assertThat(compat.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(compat.body()).path("schema").path("max").asText()).isEqualTo("3");
      assertThat(stuck).as("the orders requests are still waiting on the lock").noneMatch(CompletableFuture::isDone);
      locker.rollback();
      await().atMost(Duration.ofSeconds(30)).until(() -> stuck.stream().allMatch(CompletableFuture::isDone));
    }
  }

  /** Orders threads (named ...-http-N) inside a request handler now: stuck on the lock or on the pool. */
  private static long busyOrdersThreads() {
    return Thread.getAllStackTraces().entrySet().stream()
        .filter(e -> e.getKey().getName().contains("-http-"))
        .filter(e -> java.util.Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().equals(HttpApi.class.getName())))
        .count();
  }

  @Test
  void anEmptyDatabaseKeepsTheAppNotReady() throws Exception {
    app.close();
    var empty = OrdersDatabase.shared().create("0");
    app = OrdersApp.start(new AppConfig(empty.url(), "postgres", "", "127.0.0.1", 0, Duration.ofMillis(100),
        new FlagSourceConfig(FlagSourceConfig.Resolver.FILE, null, 0, flagFile, Duration.ofMillis(50))),
        new PrintStream(log, true, StandardCharsets.UTF_8));

    // Not ready at once ("not read yet"), then for the reason that matters: poll for it, no fixed wait.
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      HttpResponse<String> ready = get("/ready");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(JSON.readTree(ready.body()).path("reason").asText()).contains("no schema version");
    });

    empty.migrateTo("1");
    awaitReady(true);
  }

  @Test
  void badRequestsAreAnsweredAsSuch() throws Exception {
    HttpResponse<String> bad = HTTP.send(HttpRequest.newBuilder(uri("/orders"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"customer\": \"ada\", \"total\": \"1.005\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("fractions of a cent");
    assertThat(get("/orders/999999").statusCode()).isEqualTo(404);
    assertThat(get("/orders/abc").statusCode()).isEqualTo(400);
    assertThat(put("/orders/999999", "{\"total\": \"1.00\"}").statusCode()).isEqualTo(404);
    assertThat(put("/orders/1", "{\"amount\": 1}").statusCode()).isEqualTo(400);
  }
}
