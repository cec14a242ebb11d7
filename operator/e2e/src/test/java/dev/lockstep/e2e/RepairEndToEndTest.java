package dev.lockstep.e2e;

import static dev.lockstep.reconcile.Migrations.migrate;
import static dev.lockstep.reconcile.Migrations.migration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.api.Annotations;
import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.StepState;
import dev.lockstep.reconcile.Conditions;
import dev.lockstep.world.database.DatabaseLogin;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repair path end to end: a non-transactional script fails after its first statement and leaves a
 * failed row in flyway_schema_history; the migration fails with NeedsRepair (no rollback, no retry
 * that could never succeed); the script is fixed, {@code lockstep.dev/repair} runs a repair Job, then
 * {@code lockstep.dev/retry} retries the step, which succeeds — and the database ends exactly as plain
 * Flyway leaves it with the fixed scripts.
 */
class RepairEndToEndTest extends ClusterTest {

  private static final String NAME = "orders-currency";
  private static final String V1 = "CREATE TABLE orders (id bigint PRIMARY KEY, customer bigint, reference text);\n"
      + "INSERT INTO orders SELECT g, g % 7, 'R' || g FROM generate_series(1, 100) g;\n";
  private static final String V2_NAME = "V2__order_indexes.sql";
  /** Outside a transaction (CONCURRENTLY): the first index is built, the second statement fails. */
  private static final String V2_BROKEN = "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer ON orders (customer);\n"
      + "CREATE INDEX CONCURRENTLY orders_reference ON orders (no_such_column);\n";
  private static final String V2_FIXED = "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer ON orders (customer);\n"
      + "CREATE INDEX CONCURRENTLY orders_reference ON orders (reference);\n";

  @TempDir Path plainFlywayScripts;

  @Test
  void aScriptThatFailedHalfWayIsRepairedRetriedAndEndsAsPlainFlywayWould() throws Exception {
    world.secret("orders-db");
    world.scripts("orders-migrations", Map.of("V1__orders.sql", V1, V2_NAME, V2_BROKEN));
    world.apply(migration(migrate("create", "1"), migrate("indexes", "2")));

    SchemaMigration failed = world.awaitPhase(NAME, Phase.Failed);
    Condition needsRepair = condition(failed, Conditions.NEEDS_REPAIR);
    assertThat(needsRepair).as("conditions: %s", failed.getStatus().getConditions()).isNotNull();
    assertThat(needsRepair.getStatus()).isEqualTo("True");
    assertThat(needsRepair.getReason()).isEqualTo("FailedMigration");
    assertThat(needsRepair.getMessage()).startsWith("step indexes, version 2 (" + V2_NAME + "): " + V2_NAME
        + " (version 2) failed half-way outside a transaction; its row in flyway_schema_history is marked failed");
    assertThat(failed.getStatus().getMessage()).contains(Annotations.REPAIR + "=true");
    assertThat(failed.getStatus().getSteps().get(0).getState()).as("no rollback").isEqualTo(StepState.Succeeded);
    assertThat(history(world.login)).containsExactly("1|V1__orders.sql|true", "2|" + V2_NAME + "|false");
    assertThat(indexes(world.login)).contains("orders_customer");

    world.client.configMaps().inNamespace(ClusterFixture.NAMESPACE).withName("orders-migrations")
        .edit(cm -> {
          cm.getData().put(V2_NAME, V2_FIXED);
          return cm;
        });
    annotate(Annotations.REPAIR, "true");

    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
      SchemaMigration m = world.get(NAME);
      return m.getStatus().getRepair() == null && condition(m, Conditions.NEEDS_REPAIR) == null
          && !m.getMetadata().getAnnotations().containsKey(Annotations.REPAIR);
    });
    SchemaMigration repaired = world.get(NAME);
    assertThat(repaired.getStatus().getPhase()).isEqualTo(Phase.Failed);
    assertThat(repaired.getStatus().getMessage()).contains(Annotations.RETRY + "=indexes");
    Job repairJob = world.jobs(NAME).stream()
        .filter(j -> j.getMetadata().getName().equals(NAME + "-indexes-repair-1")).findFirst().orElseThrow();
    assertThat(repairJob.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()).contains("repair");
    assertThat(history(world.login)).containsExactly("1|V1__orders.sql|true");

    annotate(Annotations.RETRY, "indexes");
    SchemaMigration succeeded = world.awaitPhase(NAME, Phase.Succeeded);

    assertThat(succeeded.getStatus().getSteps().get(1).getAttempts()).isEqualTo(2);
    DatabaseLogin plain = plainFlyway();
    assertThat(history(world.login)).isEqualTo(history(plain)).hasSize(2);
    assertThat(checksums(world.login)).isEqualTo(checksums(plain));
    assertThat(indexes(world.login)).isEqualTo(indexes(plain))
        .containsExactly("orders_customer", "orders_pkey", "orders_reference");
    assertThat(columns(world.login)).isEqualTo(columns(plain));
  }

  /**
   * A fresh database migrated by Flyway alone with the fixed scripts. Without a transaction-scoped
   * advisory lock, as Flyway's documentation asks for CREATE INDEX CONCURRENTLY (which waits for every
   * open transaction, Flyway's own lock transaction included).
   */
  private DatabaseLogin plainFlyway() throws Exception {
    Files.writeString(plainFlywayScripts.resolve("V1__orders.sql"), V1);
    Files.writeString(plainFlywayScripts.resolve(V2_NAME), V2_FIXED);
    DatabaseLogin plain = world.database(ClusterFixture.uniqueName("plain"), "plain-db");
    Flyway.configure().configuration(Map.of("flyway.postgresql.transactional.lock", "false"))
        .dataSource(plain.dataSource())
        .locations("filesystem:" + plainFlywayScripts).load().migrate();
    return plain;
  }

  private void annotate(String key, String value) {
    world.client.resources(SchemaMigration.class).inNamespace(ClusterFixture.NAMESPACE).withName(NAME)
        .patch(PatchContext.of(PatchType.JSON_MERGE),
            Serialization.asJson(Map.of("metadata", Map.of("annotations", Map.of(key, value)))));
  }

  private static Condition condition(SchemaMigration m, String type) {
    if (m.getStatus() == null || m.getStatus().getConditions() == null) {
      return null;
    }
    return m.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  private static List<String> history(DatabaseLogin login) throws SQLException {
    return rows(login, "SELECT version || '|' || script || '|' || success FROM flyway_schema_history"
        + " ORDER BY installed_rank");
  }

  private static List<String> checksums(DatabaseLogin login) throws SQLException {
    return rows(login, "SELECT version || '|' || description || '|' || type || '|' || checksum"
        + " FROM flyway_schema_history ORDER BY installed_rank");
  }

  private static List<String> indexes(DatabaseLogin login) throws SQLException {
    return rows(login, "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
        + " WHERE i.indrelid = 'orders'::regclass AND i.indisvalid ORDER BY 1");
  }

  private static List<String> columns(DatabaseLogin login) throws SQLException {
    return rows(login, "SELECT column_name || ' ' || data_type FROM information_schema.columns"
        + " WHERE table_name = 'orders' ORDER BY ordinal_position");
  }

  private static List<String> rows(DatabaseLogin login, String sql) throws SQLException {
    try (Connection c = login.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
      return rows;
    }
  }
}
