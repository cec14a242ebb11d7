package dev.lockstep.e2e;

import static dev.lockstep.reconcile.Migrations.migrate;
import static dev.lockstep.reconcile.Migrations.migration;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import dev.lockstep.api.BackfillStep;
import dev.lockstep.api.BackfillUndo;
import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.SecretRef;
import dev.lockstep.api.Step;
import dev.lockstep.cli.Lockstep;
import dev.lockstep.runner.ContainerEnvironment;
import dev.lockstep.world.database.DatabaseLogin;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Secrets never leak (issue 15, prove 5). Every kind of flow runs with a recognisable password —
 * each database login has 24 random characters, which no other text contains by chance: a migration
 * that succeeds through a backfill; one that fails and rolls a backfill and a migrate back; one
 * whose Secret's URL itself carries the password and reaches nothing; {@code kubectl lockstep}
 * status and list; {@code lockstep rehearse} on an external database given with {@code --password}.
 * The password appears in no log line of the operator or the runners (debug included, stack traces
 * included), Event, status field, Job spec (credentials only through {@code secretKeyRef}), pod
 * status or termination message, pod log, or command output.
 *
 * <p>{@code lockstep lint} takes no credentials: its shadow database is its own, with a login it
 * makes up and never prints; it is not run here.
 */
class SecretsNeverLeakEndToEndTest extends ClusterTest {

  private static final String SCRIPTS_MAP = "orders-migrations";
  private static final Map<String, String> SCRIPTS = Map.of(
      "V1__create_orders.sql", """
          CREATE TABLE orders (id bigserial PRIMARY KEY, total numeric(12,2) NOT NULL);
          INSERT INTO orders (total) SELECT n / 100.0 FROM generate_series(1, 1000) AS n;
          """,
      "U1__create_orders.sql", "DROP TABLE orders;",
      "V2__add_total_cents.sql", "ALTER TABLE orders ADD COLUMN total_cents bigint;",
      "U2__add_total_cents.sql", "ALTER TABLE orders DROP COLUMN total_cents;",
      "V3__add_note.sql", "ALTER TABLE orders ADD COLUMN note text;",
      "U3__add_note.sql", "ALTER TABLE orders DROP COLUMN note;",
      "V4__broken.sql", "SELECT total FROM no_such_table;");

  @TempDir Path directory;

  private final List<String> logLines = new CopyOnWriteArrayList<>();
  private final AppenderBase<ILoggingEvent> capture = new AppenderBase<>() {
    @Override
    protected void append(ILoggingEvent event) {
      String line = event.getLoggerName() + " " + event.getFormattedMessage();
      if (event.getThrowableProxy() != null) {
        line += "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy());
      }
      logLines.add(line);
    }
  };
  private Level lockstepLevelBefore;

  @BeforeEach
  void captureLogs() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    capture.setContext(context);
    capture.start();
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(capture);
    Logger lockstep = context.getLogger("dev.lockstep");
    lockstepLevelBefore = lockstep.getLevel();
    // Debug lines too: a stack trace logged "only at debug" is still in someone's log.
    lockstep.setLevel(Level.DEBUG);
  }

  @AfterEach
  void stopCapturing() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(capture);
    context.getLogger("dev.lockstep").setLevel(lockstepLevelBefore);
    capture.stop();
  }

  @Test
  void thePasswordAppearsNowhereInAnyFlow() throws Exception {
    world.secret("orders-db");
    world.scripts(SCRIPTS_MAP, SCRIPTS);
    String password = world.login.password();
    List<String> seen = new ArrayList<>();

    SchemaMigration filled = named("orders-fill", migration(migrate("expand", "2"), fill("fill", "total_cents",
        "(total * 100)::bigint")));
    world.apply(filled);
    world.awaitPhase("orders-fill", Phase.Succeeded);

    SchemaMigration broken = named("orders-broken", migration(migrate("note", "3"), fill("notes", "note", "'n'"),
        migrate("broken", "4")));
    world.apply(broken);
    world.awaitPhase("orders-broken", Phase.RolledBack);
    assertThat(world.columns("orders")).doesNotContain("note");

    world.client.resource(secretWithThePasswordInItsUrl(world.login)).create();
    SchemaMigration elsewhere = named("orders-elsewhere", migration(migrate("expand", "1")));
    elsewhere.getSpec().getDatabase().setSecretRef(new SecretRef());
    elsewhere.getSpec().getDatabase().getSecretRef().setName("bad-db");
    elsewhere.getSpec().getDatabase().setName(ClusterFixture.uniqueName("elsewhere"));
    world.applyAsIs(elsewhere);
    assertThat(world.awaitPhase("orders-elsewhere", Phase.Failed).getStatus().getMessage()).contains("step expand failed");

    for (String name : List.of("orders-fill", "orders-broken", "orders-elsewhere")) {
      seen.add(Serialization.asJson(world.get(name)));
      world.events(name).forEach(e -> seen.add(Serialization.asJson(e)));
      for (Job job : world.jobs(name)) {
        seen.add(Serialization.asJson(job));
        assertPasswordOnlyThroughASecretKeyRef(job);
      }
      seen.add(kubectl("status", name).all());
    }
    seen.add(kubectl("list").all());
    for (Pod pod : world.client.pods().inNamespace(ClusterFixture.NAMESPACE).list().getItems()) {
      seen.add(Serialization.asJson(pod));
      seen.add(world.cluster.kubelet().logs(ClusterFixture.NAMESPACE, pod.getMetadata().getName()));
    }

    DatabaseLogin rehearsal = postgres.database(ClusterFixture.uniqueName("rehearse"));
    Run rehearse = rehearse(rehearsal);
    assertThat(rehearse.exit()).as(rehearse.err()).isEqualTo(1);
    seen.add(rehearse.all());
    String logFile = rehearse.err().substring(rehearse.err().indexOf("operator log: ") + "operator log: ".length()).trim();
    seen.add(Files.readString(Path.of(logFile)));

    seen.addAll(logLines);
    assertThat(logLines).as("the log was captured").anyMatch(line -> line.contains("orders-broken"));
    assertThat(String.join("\n", seen)).contains("secretKeyRef").contains("step broken failed");
    assertThat(seen).noneMatch(text -> text.contains(password)).noneMatch(text -> text.contains(rehearsal.password()));
  }

  private static void assertPasswordOnlyThroughASecretKeyRef(Job job) {
    for (Container container : job.getSpec().getTemplate().getSpec().getContainers()) {
      for (EnvVar env : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
        if (env.getName().contains("PASSWORD")) {
          assertThat(env.getValue()).as(env.getName()).isNull();
          assertThat(env.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
        }
      }
    }
  }

  /** A Secret whose URL carries the login twice over (user info and a parameter) and reaches no server. */
  private static io.fabric8.kubernetes.api.model.Secret secretWithThePasswordInItsUrl(DatabaseLogin login) {
    var secret = new SecretBuilder(login.toSecret(ClusterFixture.NAMESPACE, "bad-db"))
        .addToStringData("url", "jdbc:postgresql://" + login.username() + ":" + login.password()
            + "@127.0.0.1:1/orders?password=" + login.password() + "&connectTimeout=1")
        .build();
    secret.getData().remove("url");
    return secret;
  }

  private static SchemaMigration named(String name, SchemaMigration migration) {
    migration.getMetadata().setName(name);
    return migration;
  }

  private static Step fill(String name, String column, String value) {
    Step step = new Step();
    step.setName(name);
    BackfillStep backfill = new BackfillStep();
    backfill.setTable("orders");
    backfill.setSet(column + " = " + value);
    backfill.setWhere(column + " IS NULL");
    backfill.setBatchSize(200);
    BackfillUndo undo = new BackfillUndo();
    undo.setSet(column + " = NULL");
    undo.setWhere(column + " IS NOT NULL");
    backfill.setUndo(undo);
    step.setBackfill(backfill);
    return step;
  }

  private record Run(int exit, String out, String err) {
    String all() {
      return out + "\n" + err;
    }
  }

  /** {@code lockstep rehearse} of a migration that fails, on an external database given with its password. */
  private Run rehearse(DatabaseLogin login) throws Exception {
    Path manifests = Files.createDirectories(directory.resolve("rehearse"));
    Files.writeString(manifests.resolve("scripts.yaml"), """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: shop-migrations}
        data:
          V1__create_items.sql: CREATE TABLE items (id bigserial PRIMARY KEY, name text);
          U1__create_items.sql: DROP TABLE items;
          V2__add_price.sql: ALTER TABLE items ADD COLUMN price_cents bigint REFERENCES nowhere(id);
        """);
    Files.writeString(manifests.resolve("migration.yaml"), """
        apiVersion: lockstep.dev/v1alpha1
        kind: SchemaMigration
        metadata: {name: shop-price}
        spec:
          database: {name: shop, secretRef: {name: shop-db}}
          scripts: {configMapRef: {name: shop-migrations}}
          steps:
            - {name: create, migrate: {to: "1"}}
            - {name: price, migrate: {to: "2"}}
        """);
    return lockstep("rehearse", "-f", manifests.toString(), "--timeout", "5m",
        "--jdbc-url", login.jdbcUrl(), "--username", login.username(), "--password", login.password());
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
    return lockstep(all.toArray(String[]::new));
  }

  private static Run lockstep(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = Lockstep.run(args, ContainerEnvironment.of(Map.of(), Path::of,
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
