package dev.lockstep.e2e;

import static org.awaitility.Awaitility.await;

import dev.lockstep.api.Annotations;
import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.world.cluster.LocalCluster;
import dev.lockstep.world.database.DatabaseLogin;
import dev.lockstep.world.database.EmbeddedDatabase;
import dev.lockstep.world.kubelet.ImageCatalog;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One local cluster (API server, kubelet, operator) on a shared embedded PostgreSQL; each test gets
 * a database of its own.
 */
final class ClusterFixture implements AutoCloseable {

  static final String NAMESPACE = "shop";
  private static final AtomicInteger DATABASES = new AtomicInteger();

  final LocalCluster cluster;
  final KubernetesClient client;
  final String database;
  final DatabaseLogin login;
  private final EmbeddedDatabase postgres;

  ClusterFixture(EmbeddedDatabase postgres) {
    this.postgres = postgres;
    this.cluster = LocalCluster.start(postgres, new ImageCatalog());
    this.client = cluster.client();
    this.database = uniqueName("orders");
    this.login = postgres.database(database);
    cluster.startOperator();
  }

  static String uniqueName(String prefix) {
    return prefix + DATABASES.incrementAndGet();
  }

  void secret(String name) {
    client.resource(login.toSecret(NAMESPACE, name)).create();
  }

  void scripts(String name, Map<String, String> files) {
    client.resource(new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
        .withData(files).build()).create();
  }

  SchemaMigration apply(SchemaMigration migration) {
    migration.getSpec().getDatabase().setName(database);
    return applyAsIs(migration);
  }

  /** Applies a migration with the database it names (see {@link #login(String)}). */
  SchemaMigration applyAsIs(SchemaMigration migration) {
    migration.getMetadata().setNamespace(NAMESPACE);
    migration.getMetadata().setUid(null);
    migration.getMetadata().setGeneration(null);
    return client.resource(migration).create();
  }

  /** Another database on the same server, with its Secret. */
  DatabaseLogin database(String name, String secret) {
    DatabaseLogin other = postgres.database(name);
    client.resource(other.toSecret(NAMESPACE, secret)).create();
    return other;
  }

  /** Creates any resource (a Deployment, a FeatureFlag...) in the test namespace. */
  <T extends HasMetadata> T create(T resource) {
    resource.getMetadata().setNamespace(NAMESPACE);
    return client.resource(resource).create();
  }

  /** Approves {@code step}, as {@code kubectl annotate ... lockstep.dev/approve=<step>} would. */
  void approve(String migration, String step) {
    client.resources(SchemaMigration.class).inNamespace(NAMESPACE).withName(migration).edit(m -> {
      m.getMetadata().getAnnotations().put(Annotations.APPROVE, step);
      return m;
    });
  }

  /** Waits until the migration waits for someone to approve {@code step}. */
  SchemaMigration awaitApprovalOf(String name, String step) {
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
      SchemaMigration m = get(name);
      return m != null && m.getStatus() != null && m.getStatus().getPhase() == Phase.WaitingForApproval
          && step.equals(m.getStatus().getCurrentStep());
    });
    return get(name);
  }

  /** The addresses of the Ready pods labelled {@code app=<app>}, as a Service's endpoints list them. */
  List<String> readyPodIps(String app) {
    return client.pods().inNamespace(NAMESPACE).withLabel("app", app).list().getItems().stream()
        .filter(OrdersTraffic::ready).map(p -> p.getStatus().getPodIP()).sorted().toList();
  }

  SchemaMigration get(String name) {
    return client.resources(SchemaMigration.class).inNamespace(NAMESPACE).withName(name).get();
  }

  SchemaMigration awaitPhase(String name, Phase phase) {
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
      SchemaMigration m = get(name);
      return m != null && m.getStatus() != null && m.getStatus().getPhase() == phase;
    });
    return get(name);
  }

  List<Job> jobs(String migration) {
    return client.batch().v1().jobs().inNamespace(NAMESPACE).withLabel("lockstep.dev/migration", migration)
        .list().getItems();
  }

  List<Event> events(String migration) {
    return client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
        .filter(e -> migration.equals(e.getInvolvedObject().getName())).toList();
  }

  List<List<Object>> query(String sql) throws SQLException {
    try (Connection c = login.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      List<List<Object>> rows = new ArrayList<>();
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          row.add(rs.getObject(i));
        }
        rows.add(row);
      }
      return rows;
    }
  }

  List<String> columns(String table) throws SQLException {
    return query("SELECT column_name FROM information_schema.columns WHERE table_name = '" + table
        + "' ORDER BY ordinal_position").stream().map(r -> (String) r.get(0)).toList();
  }

  List<String> appliedVersions() throws SQLException {
    return query("SELECT version FROM flyway_schema_history WHERE version IS NOT NULL AND success"
        + " ORDER BY installed_rank").stream().map(r -> (String) r.get(0)).toList();
  }

  @Override
  public void close() {
    cluster.close();
  }
}
