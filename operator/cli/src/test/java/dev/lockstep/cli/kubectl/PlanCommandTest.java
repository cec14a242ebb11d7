package dev.lockstep.cli.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.cli.kubectl.KubectlWorld.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kubectl lockstep plan -f DIR}: the steps and their risk, from files alone. */
class PlanCommandTest {

  static final Path ORDERS = Path.of("..", "..", "examples", "orders");

  @Test
  void showsEveryStepOfTheExampleWithItsScriptsAndRisk() {
    // No kubeconfig at all: plan needs no cluster.
    Run run = KubectlWorld.lockstep("kubectl", "plan", "-f", ORDERS.toString());

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("SchemaMigration default/orders-total-cents (database orders, scripts from ConfigMap orders-migrations)")
        // orders-create applies version 1 first (dependsOn); the plan cannot know, and says so.
        .containsPattern("expand +migrate +low +- +to 2: V1__create_orders.sql, V2__add_total_cents.sql;"
            + " undo U2__add_total_cents.sql, U1__create_orders.sql")
        .contains("step expand lists every version up to its target; those the database already has are skipped")
        .containsPattern("dual-write +flags +- +- +orders-cents-dual-write = on")
        .containsPattern("dual-write-soak +wait +- +- +pods ready, soak 5s")
        .containsPattern("read-cents-canary +flags +- +- +orders-cents-read = on for 10%")
        .containsPattern("contract +migrate +high +required +to 4: V4__drop_total.sql; undo U4__drop_total.sql")
        .contains("high  V4__drop_total.sql:1  dropping-column (step contract)")
        .contains("lock: ACCESS EXCLUSIVE on orders, blocks reads and writes")
        .contains("SchemaMigration default/orders-create")
        .contains("scripts no step runs: ");
  }

  @Test
  void aHighRiskStepWithoutApprovalIsShownAsRefused(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("V1__create.sql"), "CREATE TABLE items (id bigint PRIMARY KEY, name text);");
    Files.writeString(dir.resolve("V2__drop.sql"), "ALTER TABLE items DROP COLUMN name;");
    Files.writeString(dir.resolve("migration.yaml"), """
        apiVersion: lockstep.dev/v1alpha1
        kind: SchemaMigration
        metadata: {name: items, namespace: shop}
        spec:
          database: {name: shop, secretRef: {name: shop-db}}
          scripts: {image: {name: registry.example.com/items:1, path: /migrations}}
          steps:
            - {name: create, migrate: {to: "1"}}
            - {name: drop, migrate: {to: "2"}}
        """);

    Run run = KubectlWorld.lockstep("kubectl", "plan", "-f", dir.toString());

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("SchemaMigration shop/items (database shop, scripts from .sql files)")
        .containsPattern("drop +migrate +high +refused: high risk needs approval +to 2: V2__drop.sql; no undo");
  }

  @Test
  void unreadableInputExitsTwoNamingTheFile(@TempDir Path dir) throws Exception {
    Run missing = KubectlWorld.lockstep("kubectl", "plan", "-f", dir.resolve("nope").toString());
    Files.writeString(dir.resolve("only.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
    Run none = KubectlWorld.lockstep("kubectl", "plan", "-f", dir.toString());

    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("nope: no such file or directory");
    assertThat(none.exit()).isEqualTo(2);
    assertThat(none.err()).contains("no SchemaMigration in " + dir);
  }
}
