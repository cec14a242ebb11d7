package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.runner.ContainerEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lockstep lint} as CI runs it: exit codes, JSON and text reports. Static analysis only. */
class LintCommandTest {

  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void aManifestWhoseHighRiskStepNeedsApprovalPassesWithJson() throws IOException {
    int exit = lint("--output", "json", manifests().toString());

    assertThat(exit).isZero();
    JsonNode report = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    assertThat(fieldNames(report)).containsExactly("findings", "steps");
    JsonNode drop = report.get("findings").get(0);
    assertThat(fieldNames(drop)).containsExactly("file", "line", "statement", "rule", "lock", "blocks", "risk",
        "rewrite", "observed", "fix", "step", "undo", "needsApproval", "approval", "location");
    assertThat(drop.get("step").asText()).isEqualTo("contract");
    assertThat(drop.get("undo").asBoolean()).isFalse();
    assertThat(drop.get("needsApproval").asBoolean()).isTrue();
    assertThat(drop.get("approval").asText()).isEqualTo("required");
    assertThat(drop.get("location").get("file").asText()).isEqualTo(manifests().resolve("orders.yaml").toString());
    assertThat(drop.get("location").get("line").asInt()).as("the line of the statement in the manifest").isEqualTo(30);
    assertThat(drop.get("file").asText()).isEqualTo("V3__drop_note.sql");
    assertThat(drop.get("line").asInt()).isEqualTo(2);
    assertThat(drop.get("statement").asText()).isEqualTo("ALTER TABLE orders DROP COLUMN note");
    assertThat(drop.get("rule").asText()).isEqualTo("dropping-column");
    assertThat(drop.get("lock").asText()).isEqualTo("ACCESS EXCLUSIVE");
    assertThat(drop.get("blocks")).extracting(JsonNode::asText).containsExactly("reads", "writes");
    assertThat(drop.get("risk").asText()).isEqualTo("high");
    assertThat(drop.get("rewrite").asBoolean()).isFalse();
    assertThat(drop.get("observed").isNull()).isTrue();
    assertThat(drop.get("fix").asText()).startsWith("First stop every workload");
    assertThat(report.get("findings").get(1).get("file").asText()).as("the undo script, last").isEqualTo("U2__currency.sql");
    assertThat(report.get("steps").toString()).isEqualTo(
        "[{\"name\":\"expand\",\"risk\":\"low\"},{\"name\":\"dual-write\",\"risk\":\"low\"},"
            + "{\"name\":\"contract\",\"risk\":\"high\"}]");
  }

  @Test
  void aManifestWhoseHighRiskStepHasNoApprovalFails() throws IOException {
    String manifest = Files.readString(manifests().resolve("orders.yaml")).replace("      approval: required\n", "");
    Files.writeString(dir.resolve("orders.yaml"), manifest);

    int exit = lint(dir.toString());

    assertThat(exit).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("V3__drop_note.sql:2: high: dropping-column (step contract)\n")
        .contains("    contract: high (refused: needs approval)\n")
        .endsWith("approval needed\n");
  }

  @Test
  void aBareScriptWithAHighRiskStatementNeedsApproval() throws IOException {
    Path script = Files.writeString(dir.resolve("V5__index.sql"), "CREATE INDEX i ON orders (customer_id);\n");

    int exit = lint(script.toString());

    assertThat(exit).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith(script + ":1: high: create-index-non-concurrent\n"
        + "    CREATE INDEX i ON orders (customer_id)\n"
        + "    lock: SHARE on orders, blocks: writes, rewrite: no\n");
  }

  @Test
  void aSafeScriptPasses() throws IOException {
    Files.writeString(dir.resolve("V5__index.sql"), "CREATE INDEX CONCURRENTLY i ON orders (customer_id);\n");

    assertThat(lint("--output=JSON", dir.toString())).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\n  \"findings\" : [ ],\n  \"steps\" : [ ]\n}\n");
  }

  @Test
  void aScriptFlywayCannotRunIsAParseError() throws IOException {
    Files.writeString(dir.resolve("V6__mixed.sql"), "SELECT 1;\nCREATE INDEX CONCURRENTLY i ON t (a);\n");

    assertThat(lint(dir.toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("lint: V6__mixed.sql: Flyway cannot run this script");
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void usageErrorsExitWithTwo() {
    assertThat(lint("--output", "xml", dir.toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("expected text, json, sarif, github or markdown, not 'xml'");

    err.reset();
    assertThat(lint(dir.resolve("missing").toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("lint: " + dir.resolve("missing")
        + ": no such file or directory\n");

    err.reset();
    assertThat(lint("--pg-version", "9", dir.toString())).isEqualTo(2);
    assertThat(lint()).isEqualTo(2);
  }

  @Test
  void aManifestWithoutItsScriptsSaysWhatToPass() throws IOException {
    String manifest = Files.readString(manifests().resolve("orders.yaml"));
    Files.writeString(dir.resolve("smig.yaml"), manifest.substring(0, manifest.indexOf("---")));

    assertThat(lint(dir.toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("SchemaMigration orders-currency takes its scripts"
        + " from the ConfigMap orders-migrations, which is not among the inputs");
  }

  @Test
  void byDefaultTheShadowDatabaseReportsWhatPostgresDidAndOverrulesTheRule() throws IOException {
    Files.writeString(dir.resolve("V1__orders.sql"), "CREATE TABLE orders (id bigint PRIMARY KEY, note text);\n");
    Files.writeString(dir.resolve("V2__region.sql"), """
        CREATE FUNCTION default_region() RETURNS text IMMUTABLE LANGUAGE sql AS $$ SELECT 'eu' $$;
        ALTER TABLE orders ADD COLUMN region text DEFAULT default_region();
        CREATE INDEX orders_region ON orders (region);
        """);

    int exit = run("lint", "--output", "json", "--pg-version", "13", dir.toString());

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("lint: note: the shadow database is PostgreSQL 14");
    JsonNode findings = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8)).get("findings");
    JsonNode column = findings.get(0);
    assertThat(column.get("rule").asText()).isEqualTo("adding-column-volatile-default");
    assertThat(column.get("rewrite").asBoolean()).as("no rewrite observed").isFalse();
    assertThat(column.get("risk").asText()).isEqualTo("low");
    assertThat(column.get("observed").get("method").asText()).isEqualTo("in-transaction");
    assertThat(column.get("observed").get("agrees").asBoolean()).isFalse();
    assertThat(column.get("observed").get("note").asText()).startsWith("PostgreSQL did not rewrite orders");
    JsonNode index = findings.get(1);
    assertThat(index.get("rule").asText()).isEqualTo("create-index-non-concurrent");
    assertThat(index.get("lock").asText()).as("held since the ALTER").isEqualTo("ACCESS EXCLUSIVE");
    assertThat(index.get("blocks")).extracting(JsonNode::asText).containsExactly("reads", "writes");
    assertThat(index.get("observed").get("ruleLock").asText()).isEqualTo("SHARE");
    assertThat(index.get("observed").get("agrees").asBoolean()).isFalse();
    assertThat(index.get("observed").get("locks").toString())
        .contains("{\"relation\":\"orders\",\"mode\":\"ACCESS EXCLUSIVE\",\"taken\":false,\"granted\":true}");
  }

  private int lint(String... args) {
    List<String> all = new ArrayList<>(List.of("lint", "--no-shadow"));
    all.addAll(List.of(args));
    return run(all.toArray(String[]::new));
  }

  private int run(String... args) {
    List<String> all = List.of(args);
    ContainerEnvironment environment = ContainerEnvironment.of(Map.of(), Path::of,
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return Lockstep.run(all.toArray(String[]::new), environment);
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static Path manifests() {
    try {
      return Path.of(LintCommandTest.class.getResource("/lint/manifests").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
