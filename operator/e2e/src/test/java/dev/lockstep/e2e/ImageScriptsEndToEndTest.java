package dev.lockstep.e2e;

import static dev.lockstep.reconcile.Migrations.migrate;
import static dev.lockstep.reconcile.Migrations.migration;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.ScriptsImage;
import dev.lockstep.api.Step;
import dev.lockstep.jobs.JobNames;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scripts from an image get the same validation as scripts from a ConfigMap (issue 15, fix 2): an
 * inspection Job reads them out of the image (the simulated kubelet copies the image's files with
 * the init container, as for every runner Job), and the operator classifies their risk and knows the
 * versions without an undo script before anything runs.
 */
class ImageScriptsEndToEndTest extends ClusterTest {

  private static final String NAME = "orders-currency";
  private static final String IMAGE = "registry.example.com/orders-migrations:1.4.0";

  @TempDir Path imageFiles;

  private SchemaMigration fromImage(Map<String, String> scripts, Step... steps) throws Exception {
    for (Map.Entry<String, String> script : scripts.entrySet()) {
      Files.writeString(imageFiles.resolve(script.getKey()), script.getValue());
    }
    world.cluster.kubelet().images().registerFiles(IMAGE, "/migrations", imageFiles);
    SchemaMigration migration = migration(steps);
    migration.getSpec().getScripts().setConfigMapRef(null);
    ScriptsImage image = new ScriptsImage();
    image.setName(IMAGE);
    migration.getSpec().getScripts().setImage(image);
    return migration;
  }

  private Job inspectionJob() {
    String name = JobNames.forInspection(NAME, IMAGE, "/migrations");
    return world.jobs(NAME).stream().filter(j -> j.getMetadata().getName().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void aHighRiskScriptInTheImageNeedsApprovalLikeOneInAConfigMap() throws Exception {
    world.secret("orders-db");
    world.apply(fromImage(Map.of(
        "V1__orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY, note text);",
        "V2__currency.sql", "ALTER TABLE orders ADD COLUMN currency text;",
        "U2__currency.sql", "ALTER TABLE orders DROP COLUMN currency;",
        "V3__drop_note.sql", "-- contract\nALTER TABLE orders DROP COLUMN note;"),
        migrate("expand", "2"), migrate("contract", "3")));

    SchemaMigration failed = world.awaitPhase(NAME, Phase.Failed);

    assertThat(failed.getStatus().getMessage()).contains("invalid spec")
        .contains("step contract is high risk (dropping-column at V3__drop_note.sql:2): add approval: required");
    assertThat(failed.getStatus().getConditions()).extracting(Condition::getReason).contains("ValidationFailed");
    assertThat(failed.getStatus().getRisk().getLevel()).isEqualTo("High");
    assertThat(failed.getStatus().getInspectedScripts().getFiles())
        .containsOnlyKeys("V1__orders.sql", "V2__currency.sql", "U2__currency.sql", "V3__drop_note.sql");
    assertThat(failed.getStatus().getInspectedScripts().getImage()).isEqualTo(IMAGE);
    Job inspection = inspectionJob();
    assertThat(inspection.getSpec().getTemplate().getSpec().getInitContainers()).singleElement()
        .satisfies(c -> assertThat(c.getImage()).isEqualTo(IMAGE));
    assertThat(inspection.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .as("the inspection needs no database").isEmpty();
    assertThat(MigrationEndToEndTest.names(world.jobs(NAME))).as("nothing but the inspection ran")
        .containsExactly(inspection.getMetadata().getName());
    assertThat(world.query("SELECT to_regclass('flyway_schema_history') IS NULL, to_regclass('orders') IS NULL"))
        .as("the database is untouched").containsExactly(List.of(true, true));
  }

  @Test
  void aVersionWithoutUndoScriptInTheImageIsAPointOfNoReturnKnownAtValidation() throws Exception {
    world.secret("orders-db");
    world.apply(fromImage(Map.of(
        "V1__orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY, note text);",
        "U1__orders.sql", "DROP TABLE orders;",
        "V2__currency.sql", "ALTER TABLE orders ADD COLUMN currency text;",
        "V3__broken.sql", "INSERT INTO nowhere VALUES (1);"),
        migrate("create", "1"), migrate("expand", "2"), migrate("broken", "3")));

    SchemaMigration failed = world.awaitPhase(NAME, Phase.Failed);

    List<String> events = world.events(NAME).stream().map(e -> e.getMessage()).toList();
    assertThat(events).as("said when validated, before anything ran").anySatisfy(m -> assertThat(m)
        .contains("step expand is a point of no return: version 2 has no undo script (U<version>__*.sql)"));
    assertThat(failed.getStatus().getConditions()).extracting(Condition::getReason).contains("PointOfNoReturn");
    assertThat(failed.getStatus().getMessage()).contains("rollback stopped at step expand")
        .contains("applied version 2 with no undo script");
    assertThat(MigrationEndToEndTest.names(world.jobs(NAME)))
        .as("no undo Job is started only to fail for want of a U script")
        .noneMatch(n -> n.contains("-expand-undo-"));
    assertThat(world.appliedVersions()).containsExactly("1", "2");
  }
}
