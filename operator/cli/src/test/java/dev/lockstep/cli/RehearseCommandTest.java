package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.runner.ContainerEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lockstep rehearse}, as CI runs it: real manifests in, JSON and an exit code out. */
class RehearseCommandTest {

  static final String SCRIPTS = """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: shop-migrations}
      data:
        V1__create_items.sql: CREATE TABLE items (id bigserial PRIMARY KEY, name text);
        V2__add_price.sql: ALTER TABLE items ADD COLUMN price_cents bigint;
      """;

  static final String MIGRATION = """
      apiVersion: lockstep.dev/v1alpha1
      kind: SchemaMigration
      metadata: {name: shop-price}
      spec:
        database: {name: shop, secretRef: {name: shop-db}}
        scripts: {configMapRef: {name: shop-migrations}}
        steps:
          - {name: create, migrate: {to: "1"}}
          - {name: price, migrate: {to: "%s"}}
      """;

  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private static Run rehearse(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = Lockstep.run(args, ContainerEnvironment.of(Map.of(), Path::of,
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void printsTheFinalResourcesAsJsonAndExitsZeroWhenAllSucceed() throws Exception {
    Files.writeString(dir.resolve("scripts.yaml"), SCRIPTS);
    Files.writeString(dir.resolve("migration.yaml"), MIGRATION.formatted("2"));

    Run run = rehearse("rehearse", "-f", dir.toString(), "--output", "json", "--timeout", "8m");

    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode printed = new ObjectMapper().readTree(run.out());
    assertThat(printed.path("rehearsal").path("outcome").asText()).isEqualTo("every migration ended as expected and no request failed");
    assertThat(printed.path("rehearsal").path("migrations").get(0).path("phase").asText()).isEqualTo("Succeeded");
    assertThat(printed.path("rehearsal").path("traffic").isNull()).isTrue();
    assertThat(printed.path("rehearsal").path("bands").findValuesAsText("label")).contains("create", "price", "Succeeded");
    JsonNode resources = printed.path("resources");
    assertThat(resources).hasSize(2); // the ConfigMap and the SchemaMigration; the Secret was not in the files
    JsonNode migration = null;
    for (JsonNode resource : resources) {
      migration = resource.path("kind").asText().equals("SchemaMigration") ? resource : migration;
    }
    assertThat(migration).as("the SchemaMigration among " + resources).isNotNull();
    assertThat(migration.path("apiVersion").asText()).isEqualTo("lockstep.dev/v1alpha1");
    assertThat(migration.path("kind").asText()).isEqualTo("SchemaMigration");
    assertThat(migration.path("metadata").path("namespace").asText()).isEqualTo("default");
    assertThat(migration.path("status").path("phase").asText()).isEqualTo("Succeeded");
    assertThat(migration.path("status").path("schemaVersion").asText()).isEqualTo("2");
    assertThat(run.err()).contains("Secret created to reach rehearsal database shop")
        .contains("step price Succeeded").doesNotContain("password")
        // the operator's own log went to a file, named at the end
        .doesNotContain("SchemaMigrationReconciler").contains("operator log: ");
    String log = run.err().substring(run.err().indexOf("operator log: ") + "operator log: ".length()).trim();
    assertThat(Files.readString(Path.of(log))).contains("starting step price (attempt 1)");
  }

  @Test
  void exitsOneWhenAMigrationDoesNotSucceed() throws Exception {
    Files.writeString(dir.resolve("scripts.yaml"), SCRIPTS.replace("bigint;", "bigint REFERENCES nowhere(id);"));
    Files.writeString(dir.resolve("migration.yaml"), MIGRATION.formatted("2"));

    Run run = rehearse("rehearse", "-f", dir.toString(), "--timeout", "8m");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).contains("default/shop-price").contains("Failed");
  }

  @Test
  void badOptionsAreExitTwoSayingWhatToDo() throws Exception {
    Files.writeString(dir.resolve("scripts.yaml"), SCRIPTS);
    Files.writeString(dir.resolve("migration.yaml"), MIGRATION.formatted("2"));

    Run traffic = rehearse("rehearse", "-f", dir.toString(), "--traffic", "10");
    assertThat(traffic.exit()).isEqualTo(2);
    assertThat(traffic.err()).contains("no workload in the manifests runs the sample application").contains("--traffic-file");

    Run inject = rehearse("rehearse", "-f", dir.toString(), "--inject", "fail@nowhere");
    assertThat(inject.exit()).isEqualTo(2);
    assertThat(inject.err()).contains("no migration has a step named nowhere");

    Files.writeString(dir.resolve("traffic.txt"), "workload: {name: web}\nport: 8080\nrequests: []\n");
    Run file = rehearse("rehearse", "-f", dir.toString(), "--traffic", "10", "--traffic-file",
        dir.resolve("traffic.txt").toString());
    assertThat(file.exit()).isEqualTo(2);
    assertThat(file.err()).contains("traffic.txt").contains("requests is empty");
  }

  @Test
  void badInputIsExitTwoNamingTheFile() throws Exception {
    Files.writeString(dir.resolve("migration.yaml"), MIGRATION.formatted("2").replace("steps:", "stepz:"));

    Run run = rehearse("rehearse", "-f", dir.toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("migration.yaml").contains("stepz");
    assertThat(rehearse("rehearse", "-f", dir.resolve("nothing-here").toString()).exit()).isEqualTo(2);
  }
}
