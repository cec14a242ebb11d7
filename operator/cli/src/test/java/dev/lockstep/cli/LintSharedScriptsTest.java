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

/**
 * Two SchemaMigrations sharing one scripts ConfigMap ({@code lint/shared-configmap}, the shape of
 * {@code examples/orders}): every script is judged once, under the step that runs it, and a script the
 * first migration stops short of is not a bare script when the second one runs it.
 */
class LintSharedScriptsTest {

  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void eachScriptIsJudgedOnceUnderTheStepThatRunsIt() throws IOException {
    int exit = run("lint", "--no-shadow", "--output", "json", fixture().toString());

    assertThat(exit).as("the only high-risk step has approval: required; " + err).isZero();
    JsonNode report = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    List<String> findings = new ArrayList<>();
    for (JsonNode finding : report.get("findings")) {
      findings.add(finding.get("file").asText() + " " + finding.get("rule").asText() + " " + finding.get("step").asText()
          + (finding.get("undo").asBoolean() ? " undo" : "") + " " + finding.get("approval").asText());
    }
    assertThat(findings).containsExactly(
        "U1__create_invoices.sql dropping-table invoices-create/create undo not-needed",
        "V4__drop_amount.sql dropping-column invoices-amount-cents/contract required",
        "U2__add_amount_cents.sql dropping-column invoices-amount-cents/expand undo not-needed");
    JsonNode drop = report.get("findings").get(1);
    assertThat(drop.get("needsApproval").asBoolean()).isTrue();
    assertThat(drop.get("location").get("file").asText()).isEqualTo(fixture().resolve("migrations.yaml").toString());
    assertThat(drop.get("location").get("line").asInt()).isEqualTo(56);
    assertThat(report.get("steps").toString()).contains(
        "{\"name\":\"invoices-create/create\",\"risk\":\"low\"}",
        "{\"name\":\"invoices-amount-cents/expand\",\"risk\":\"low\"}",
        "{\"name\":\"invoices-amount-cents/contract\",\"risk\":\"high\"}");
  }

  @Test
  void withoutApprovalTheContractIsRefusedAndReportedOnce() throws IOException {
    Path copy = withoutApproval();

    int exit = run("lint", "--no-shadow", copy.toString());

    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(exit).isEqualTo(1);
    assertThat(text).containsOnlyOnce("V4__drop_amount.sql:2: high: dropping-column (step invoices-amount-cents/contract)\n");
    assertThat(text).contains("    invoices-amount-cents/contract: high (refused: needs approval)\n");
    assertThat(text).doesNotContain("V4__drop_amount.sql:2: high: dropping-column\n"); // never as a bare script
    assertThat(text).endsWith("3 findings (3 high, 0 moderate); approval needed\n");
  }

  @Test
  void aScriptNoMigrationRunsIsBareOnceAndNeedsApproval() throws IOException {
    String yaml = Files.readString(fixture().resolve("migrations.yaml"))
        .replace("      approval: required\n      migrate: {to: \"4\"}\n", "      approval: required\n      migrate: {to: \"3\"}\n");
    Files.writeString(dir.resolve("migrations.yaml"), yaml);

    int exit = run("lint", "--no-shadow", "--output", "json", dir.toString());

    assertThat(exit).isEqualTo(1);
    JsonNode findings = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8)).get("findings");
    List<JsonNode> drops = new ArrayList<>();
    findings.forEach(f -> {
      if (f.get("file").asText().equals("V4__drop_amount.sql")) {
        drops.add(f);
      }
    });
    assertThat(drops).hasSize(1);
    assertThat(drops.get(0).get("step").isNull()).isTrue();
    assertThat(drops.get(0).get("approval").asText()).isEqualTo("missing");
  }

  @Test
  void theShadowDatabaseAgreesAndReportsEachScriptOnce() throws IOException {
    int exit = run("lint", "--output", "json", fixture().toString());

    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
    JsonNode findings = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8)).get("findings");
    List<String> keys = new ArrayList<>();
    findings.forEach(f -> keys.add(f.get("file").asText() + ":" + f.get("line").asInt() + " " + f.get("rule").asText()));
    assertThat(keys).doesNotHaveDuplicates().contains("V4__drop_amount.sql:2 dropping-column");
    findings.forEach(f -> assertThat(f.get("rule").asText()).as(f.toString()).isNotEqualTo("statement-fails"));
  }

  @Test
  void theReviewFormatsAreOneOptionAway() throws IOException {
    assertThat(run("lint", "--no-shadow", "--output", "markdown", fixture().toString())).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("### Lockstep lint: nothing needs approval\n")
        .contains("#### SchemaMigration `invoices-amount-cents`");

    out.reset();
    assertThat(run("lint", "--no-shadow", "--output", "SARIF", withoutApproval().toString())).isEqualTo(1);
    JsonNode sarif = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    assertThat(sarif.get("version").asText()).isEqualTo("2.1.0");
    assertThat(sarif.get("runs").get(0).get("results")).hasSize(3);

    out.reset();
    assertThat(run("lint", "--no-shadow", "--output", "github", fixture().toString())).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("::"))).hasSize(3);
  }

  private Path withoutApproval() throws IOException {
    String yaml = Files.readString(fixture().resolve("migrations.yaml"))
        .replace("      approval: required\n", "");
    Path copy = dir.resolve("migrations.yaml");
    Files.writeString(copy, yaml);
    return copy;
  }

  private int run(String... args) {
    ContainerEnvironment environment = ContainerEnvironment.of(Map.of(), Path::of,
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return Lockstep.run(args, environment);
  }

  static Path fixture() {
    try {
      return Path.of(LintSharedScriptsTest.class.getResource("/lint/shared-configmap").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
