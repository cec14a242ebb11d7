package dev.lockstep.lint.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.lockstep.lint.input.InputLinter;
import dev.lockstep.lint.input.LintInputs;
import dev.lockstep.lint.input.LintedInputs;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The review formats of {@code lockstep lint}: SARIF validated against the SARIF 2.1.0 JSON schema,
 * GitHub workflow annotations, and the Markdown pull-request comment. Static analysis of the
 * shared-ConfigMap fixture, once as it is (the high-risk step has approval) and once with the approval
 * removed.
 */
class LintReportFormatsTest {

  private static Schema sarifSchema;

  @TempDir
  Path dir;

  @BeforeAll
  static void loadSchema() throws Exception {
    try (InputStream schema = LintReportFormatsTest.class.getResourceAsStream("/sarif/sarif-schema-2.1.0.json")) {
      sarifSchema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(schema, InputFormat.JSON);
    }
  }

  @Test
  void sarifIsValidAndLocatesEachFindingInTheManifest() throws Exception {
    LintedInputs linted = lint(withoutApproval());

    String sarif = SarifReport.render(linted, "0.1.0");

    List<Error> errors = sarifSchema.validate(sarif, InputFormat.JSON);
    assertThat(errors).as("SARIF 2.1.0 schema violations").isEmpty();
    JsonNode run = new ObjectMapper().readTree(sarif).get("runs").get(0);
    assertThat(run.get("tool").get("driver").get("name").asText()).isEqualTo("lockstep");
    assertThat(run.get("tool").get("driver").get("rules")).hasSizeGreaterThan(20);
    JsonNode drop = null;
    for (JsonNode result : run.get("results")) {
      if (result.get("properties").get("script").asText().equals("V4__drop_amount.sql")) {
        drop = result;
      }
      int index = result.get("ruleIndex").asInt();
      assertThat(run.get("tool").get("driver").get("rules").get(index).get("id").asText())
          .isEqualTo(result.get("ruleId").asText());
    }
    assertThat(run.get("results")).hasSize(3);
    assertThat(drop).isNotNull();
    assertThat(drop.get("ruleId").asText()).isEqualTo("dropping-column");
    assertThat(drop.get("level").asText()).as("nothing is set up to approve it").isEqualTo("error");
    JsonNode location = drop.get("locations").get(0).get("physicalLocation");
    assertThat(location.get("artifactLocation").get("uri").asText()).isEqualTo(dir.resolve("migrations.yaml").toUri().getRawPath().replaceFirst("^", "file://"));
    assertThat(location.get("region").get("startLine").asInt()).isEqualTo(55);
    assertThat(drop.get("message").get("text").asText()).startsWith("high risk (dropping-column, step"
        + " invoices-amount-cents/contract): ").contains("Lock: ACCESS EXCLUSIVE on invoices, blocks reads and writes.")
        .contains("Needs approval, and nothing is set up to give it.").contains(" Fix: ");
  }

  @Test
  void sarifWithApprovalAndWithoutFindingsIsValidToo() throws Exception {
    String approved = SarifReport.render(lint(fixture()), null);
    assertThat(sarifSchema.validate(approved, InputFormat.JSON)).isEmpty();
    assertThat(approved).doesNotContain("\"level\" : \"error\"").contains("\"level\" : \"warning\"");

    Files.writeString(dir.resolve("V1__index.sql"), "CREATE INDEX CONCURRENTLY i ON t (a);\n");
    String empty = SarifReport.render(lint(dir.resolve("V1__index.sql")), null);
    assertThat(sarifSchema.validate(empty, InputFormat.JSON)).isEmpty();
    assertThat(new ObjectMapper().readTree(empty).get("runs").get(0).get("results")).isEmpty();
  }

  @Test
  void theSchemaCatchesAnInvalidLog() {
    String invalid = "{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {}}, \"results\": [{\"level\": \"fatal\"}]}]}";
    assertThat(sarifSchema.validate(invalid, InputFormat.JSON)).isNotEmpty();
  }

  @Test
  void relativePathsBecomeRelativeUris() {
    assertThat(SarifReport.uri("./deploy/db migrations/V1__x.sql")).isEqualTo("deploy/db%20migrations/V1__x.sql");
    assertThat(SarifReport.uri("deploy\\V1.sql")).isEqualTo("deploy/V1.sql");
  }

  @Test
  void githubAnnotatesTheLineOfTheManifest() throws Exception {
    Path manifest = withoutApproval();

    String annotations = GithubReport.render(lint(manifest));

    assertThat(annotations).contains("::error file=" + manifest + ",line=55,title=lockstep%3A dropping-column (high)"
        + "::high risk (dropping-column, step invoices-amount-cents/contract): ");
    assertThat(annotations).as("an undo script: what a rollback would do").contains("::notice file=" + manifest + ",line=46,title=lockstep%3A dropping-table (high)"
        + "::high risk (dropping-table, step invoices-create/create, undo): ");
    assertThat(annotations.lines().filter(line -> line.startsWith("::"))).hasSize(3);
    assertThat(annotations).endsWith("\n3 findings (3 high, 0 moderate); approval needed\n");
  }

  @Test
  void githubEscapesWhatWouldEndACommand() {
    assertThat(GithubReport.data("50% done\nnext")).isEqualTo("50%25 done%0Anext");
    assertThat(GithubReport.property("a:b,c")).isEqualTo("a%3Ab%2Cc");
  }

  @Test
  void markdownHasOneTablePerMigrationAndThePlan() throws Exception {
    String md = MarkdownReport.render(lint(withoutApproval()));

    assertThat(md).startsWith("### Lockstep lint: approval needed\n\n3 findings (3 high, 0 moderate).\n");
    assertThat(md).contains("\n#### SchemaMigration `invoices-create` (`" + dir.resolve("migrations.yaml") + "`)\n\n"
        + "| # | step | does | risk | approval |\n|---|---|---|---|---|\n"
        + "| 1 | `create` | migrate to 1 | low |  |\n");
    assertThat(md).contains("| 2 | `dual-write` | flags invoices-cents-dual-write → on | low |  |\n"
        + "| 3 | `fill` | backfill invoices set amount_cents = (amount * 100)::bigint | low |  |\n"
        + "| 4 | `index` | migrate to 3 | low |  |\n"
        + "| 5 | `contract` | migrate to 4 | **high** | **missing: validation refuses this step** |\n");
    assertThat(md).contains("| step | statement | risk | lock | blocks | fix |\n|---|---|---|---|---|---|\n"
        + "| `contract` | `ALTER TABLE invoices DROP COLUMN amount`<br>V4__drop_amount.sql:2 in "
        + dir.resolve("migrations.yaml") + ":55 | **high**, **needs approval** | ACCESS EXCLUSIVE on invoices"
        + " | reads and writes | ");
    assertThat(md).contains("| `expand` (undo) | `ALTER TABLE invoices DROP COLUMN amount_cents`");
    assertThat(md).doesNotContain("Scripts no migration runs");
  }

  @Test
  void markdownListsScriptsNoMigrationRuns() throws Exception {
    Files.writeString(dir.resolve("V7__index.sql"), "CREATE INDEX i ON t (a);\n");

    String md = MarkdownReport.render(lint(dir.resolve("V7__index.sql")));

    assertThat(md).startsWith("### Lockstep lint: approval needed\n");
    assertThat(md).contains("#### Scripts no migration runs\n\n| script | statement |");
    assertThat(md).contains("| `" + dir.resolve("V7__index.sql") + "` | `CREATE INDEX i ON t (a)`<br>");
  }

  private LintedInputs lint(Path path) throws Exception {
    return new InputLinter(14, null).lint(LintInputs.read(List.of(path)));
  }

  private Path withoutApproval() throws Exception {
    String yaml = Files.readString(fixture().resolve("migrations.yaml")).replace("      approval: required\n", "");
    return Files.writeString(dir.resolve("migrations.yaml"), yaml);
  }

  private static Path fixture() {
    try {
      return Path.of(LintReportFormatsTest.class.getResource("/lint/shared-configmap").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
