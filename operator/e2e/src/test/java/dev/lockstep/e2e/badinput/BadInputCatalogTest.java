package dev.lockstep.e2e.badinput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.command.LockstepCommand;
import dev.lockstep.runner.ContainerEnvironment;
import dev.lockstep.world.KubernetesWorld;
import dev.lockstep.world.cluster.LocalCluster;
import dev.lockstep.world.database.DatabaseLogin;
import dev.lockstep.world.database.EmbeddedDatabase;
import dev.lockstep.world.kubelet.ImageCatalog;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input catalog (issue 15, prove 2): every directory under {@code src/test/resources/bad-input}
 * is one case (see {@link BadInputCase} and {@code docs/bad-input.md}).
 *
 * <p>Resource cases all run on one local cluster at once, each in a namespace and a database of its
 * own: the database is brought to version 1 from {@code bad-input/baseline}, its catalogs and rows and
 * the namespace's flag sources are recorded, the manifests are applied, and once the migration has
 * ended the test checks its phase, reason and message (one line, naming the field, file or setting and
 * what to do, no stack trace, no password) and that the database and the flags are exactly as they
 * were. Operator-start cases run {@code lockstep operator} in-process against an API server made for
 * the case (or none) and check its exit code and its one line on stderr.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputCatalogTest {

  private static final Duration TO_END = Duration.ofSeconds(90);

  private EmbeddedDatabase postgres;
  private LocalCluster cluster;
  private final Map<String, Before> before = new ConcurrentHashMap<>();

  @TempDir Path temp;

  /** What a case's namespace and database held before its manifests were applied. */
  private record Before(String namespace, DatabaseLogin login, Map<String, List<String>> database,
      Map<String, String> flags) {}

  static Stream<BadInputCase> resourceCases() {
    return BadInputCase.all().stream().filter(c -> !c.isOperatorStart());
  }

  static Stream<BadInputCase> operatorStartCases() {
    return BadInputCase.all().stream().filter(BadInputCase::isOperatorStart);
  }

  @BeforeAll
  void applyEveryResourceCase() throws Exception {
    assertThat(BadInputCase.all()).as("the catalog holds at least 40 cases").hasSizeGreaterThanOrEqualTo(40);
    postgres = EmbeddedDatabase.start();
    cluster = LocalCluster.start(postgres, new ImageCatalog());
    cluster.startOperator();
    // Creating a database and bringing it to version 1 is most of a case's cost: a few at a time.
    ExecutorService preparing = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Void>> tasks = resourceCases().<Callable<Void>>map(c -> () -> {
        prepare(c);
        return null;
      }).toList();
      for (Future<Void> done : preparing.invokeAll(tasks)) {
        done.get();
      }
    } finally {
      preparing.shutdownNow();
    }
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("resourceCases")
  void aBadResourceEndsWithAMessageThatSaysWhatToDoAndChangesNothing(BadInputCase c) throws Exception {
    Before was = before.get(c.name());
    KubernetesClient client = cluster.client();
    await().atMost(TO_END).pollInterval(Duration.ofMillis(200)).until(() -> {
      SchemaMigration m = migration(client, was.namespace());
      return m.getStatus() != null && m.getStatus().getPhase() != null && m.getStatus().getPhase().isTerminal();
    });
    SchemaMigration ended = migration(client, was.namespace());
    Expected expected = c.expected();
    String message = ended.getStatus().getMessage();

    assertThat(ended.getStatus().getPhase()).as(c + ": phase (message: " + message + ")")
        .isEqualTo(Phase.valueOf(expected.phase()));
    assertThat(ended.getStatus().getConditions()).as(c + ": the Ready condition's reason")
        .anySatisfy(condition -> {
          assertThat(condition.getType()).isEqualTo("Ready");
          assertThat(condition.getReason()).isEqualTo(expected.reason());
        });
    assertOneLineThatSays(c + ": status.message", message, expected.message());
    assertThat(message).as(c + ": the password").doesNotContain(was.login().password());
    if (expected.jobs() != null) {
      assertThat(client.batch().v1().jobs().inNamespace(was.namespace()).list().getItems())
          .as(c + ": runner Jobs").hasSize(expected.jobs());
    }
    assertThat(DatabaseSnapshot.of(was.login().dataSource())).as(c + ": the database")
        .isEqualTo(was.database());
    assertThat(FlagSnapshot.of(client, was.namespace())).as(c + ": the flag sources").isEqualTo(was.flags());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operatorStartCases")
  void theOperatorThatCannotStartSaysWhyInOneLineAndExits(BadInputCase c) throws Exception {
    Expected.OperatorStart start = c.expected().operator();
    KubernetesWorld api = switch (start.api()) {
      case "none" -> null;
      case "empty" -> KubernetesWorld.startEmpty();
      case "installed" -> KubernetesWorld.start();
      default -> throw new IllegalArgumentException(c + ": operator.api is " + start.api()
          + "; use none, empty or installed");
    };
    try {
      if (start.forbid() != null) {
        api.apiFaults().failNext(1000, "GET", start.forbid(), 403);
      }
      if (start.missing() != null) {
        api.apiFaults().failNext(1000, "GET", start.missing(), 404);
      }
      Map<String, String> env = new HashMap<>();
      env.put("HOME", Files.createDirectories(temp.resolve(c.name() + "-home")).toString());
      switch (start.kubeconfig() == null ? "api" : start.kubeconfig()) {
        case "api" -> env.put("KUBECONFIG", kubeconfig(c, api == null ? deadAddress() : api.apiUrl()).toString());
        case "missing-file" -> env.put("KUBECONFIG", temp.resolve("no-such-kubeconfig").toString());
        case "none" -> { }
        default -> throw new IllegalArgumentException(c + ": operator.kubeconfig is " + start.kubeconfig());
      }
      List<String> args = new ArrayList<>(List.of("operator", "--no-leader-election", "--metrics-port=0"));
      if (start.args() != null) {
        args.addAll(start.args());
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      ContainerEnvironment environment = ContainerEnvironment.of(env, Path::of,
          new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

      // Fails fast: bounded well below the 20 s the client's own retries used to take.
      int exit = assertTimeoutPreemptively(Duration.ofSeconds(15),
          () -> LockstepCommand.run(args.toArray(String[]::new), environment), c + ": the operator did not give up");

      String stderr = err.toString(StandardCharsets.UTF_8);
      assertThat(exit).as(c + ": exit code (stderr: " + stderr + ")").isEqualTo(c.expected().exit());
      if (args.contains("--verbose")) {
        assertThat(stderr.lines().toList()).as(c + ": --verbose adds the stack trace").hasSizeGreaterThan(1)
            .anyMatch(line -> line.startsWith("\tat "));
        stderr = stderr.lines().findFirst().orElse("");
      }
      assertThat(stderr).as(c + ": the one line").startsWith("lockstep operator: ");
      assertOneLineThatSays(c + ": stderr", stderr.strip(), c.expected().stderr());
    } finally {
      if (api != null) {
        api.close();
      }
    }
  }

  /** One line, no stack trace, and every fragment the case expects. */
  private static void assertOneLineThatSays(String what, String text, List<String> fragments) {
    assertThat(text).as(what).isNotBlank();
    assertThat(text.lines().count()).as(what + " is one line: " + text).isEqualTo(1);
    assertThat(text).as(what + " has no stack trace").doesNotContain("\tat ").doesNotContainPattern(
        "\\b(java|javax|io|org|com)\\.[a-z]+\\.[A-Za-z.]*(Exception|Error)\\b");
    assertThat(fragments).as(what + ": expected.yaml lists the fragments").isNotEmpty();
    for (String fragment : fragments) {
      assertThat(text).as(what).contains(fragment);
    }
  }

  private void prepare(BadInputCase c) throws Exception {
    String namespace = "bad-" + c.name();
    DatabaseLogin login = postgres.database("bad_" + c.name().replace('-', '_'));
    Flyway.configure().dataSource(login.jdbcUrl(), login.username(), login.password())
        .locations("filesystem:" + BadInputCase.ROOT.resolve("baseline")).placeholderReplacement(false)
        .target("1").load().migrate();
    KubernetesClient client = cluster.client();
    Map<String, byte[]> scripts = c.scripts();
    Map<String, String> data = new LinkedHashMap<>();
    Map<String, String> binary = new LinkedHashMap<>();
    scripts.forEach((file, bytes) -> {
      if (BadInputCase.isUtf8(bytes)) {
        data.put(file, new String(bytes, StandardCharsets.UTF_8));
      } else {
        binary.put(file, Base64.getEncoder().encodeToString(bytes));
      }
    });
    client.resource(new ConfigMapBuilder().withNewMetadata().withName("scripts").withNamespace(namespace)
        .endMetadata().withData(data).withBinaryData(binary).build()).create();
    String manifests = c.manifests(Map.of("JDBC_URL", login.jdbcUrl(), "USERNAME", login.username(),
        "PASSWORD", login.password(), "DATABASE", "orders"));
    List<HasMetadata> resources = client.load(new ByteArrayInputStream(manifests.getBytes(StandardCharsets.UTF_8)))
        .items().stream().map(BadInputCatalogTest::typed).toList();
    assertThat(resources).as(c + ": manifests.yaml holds a SchemaMigration")
        .filteredOn(r -> r instanceof SchemaMigration).hasSize(1);
    // Everything it refers to first, the SchemaMigration last, as a GitOps sync wave would.
    List<HasMetadata> ordered = resources.stream()
        .sorted(Comparator.comparing(r -> r instanceof SchemaMigration)).toList();
    before.put(c.name(), new Before(namespace, login, DatabaseSnapshot.of(login.dataSource()), Map.of()));
    for (HasMetadata resource : ordered) {
      if (resource instanceof SchemaMigration) {
        // Recorded when everything but the migration is in place: from here on nothing may change.
        before.put(c.name(), new Before(namespace, login, DatabaseSnapshot.of(login.dataSource()),
            FlagSnapshot.of(client, namespace)));
      }
      resource.getMetadata().setNamespace(namespace);
      client.resource(resource).create();
    }
  }

  /** The client reads a custom resource it has not seen yet as a generic one. */
  private static HasMetadata typed(HasMetadata resource) {
    return resource instanceof GenericKubernetesResource generic && "SchemaMigration".equals(generic.getKind())
        ? Serialization.unmarshal(Serialization.asJson(generic), SchemaMigration.class) : resource;
  }

  private static SchemaMigration migration(KubernetesClient client, String namespace) {
    return client.resources(SchemaMigration.class).inNamespace(namespace).list().getItems().get(0);
  }

  private Path kubeconfig(BadInputCase c, String server) throws IOException {
    Path file = temp.resolve(c.name() + "-kubeconfig");
    Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters: [{name: case, cluster: {server: "%s"}}]
        users: [{name: case, user: {token: not-checked}}]
        contexts: [{name: case, context: {cluster: case, user: case, namespace: default}}]
        current-context: case
        """.formatted(server));
    return file;
  }

  /** An address where nothing listens: a port taken from the system and given back. */
  private static String deadAddress() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return "http://127.0.0.1:" + socket.getLocalPort() + "/";
    }
  }
}
