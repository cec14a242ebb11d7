package dev.lockstep.lint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.lockstep.api.RiskReport;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.lint.rules.Risk;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RiskAssessorTest {

  private static final Map<String, String> SCRIPTS = Map.of(
      "V1__orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY, note text);",
      "V2__currency.sql", "ALTER TABLE orders ADD COLUMN currency text DEFAULT 'EUR';",
      "U2__currency.sql", "ALTER TABLE orders DROP COLUMN currency;",
      "V3__drop_note.sql", "-- contract\nALTER TABLE orders DROP COLUMN note;");

  @Test
  void aHighRiskStepWithoutApprovalIsRefusedWithItsFindings() {
    RiskAssessment assessment = RiskAssessor.assess(migration("", ""), SCRIPTS);

    assertThat(assessment.level()).isEqualTo(Risk.HIGH);
    assertThat(assessment.steps()).extracting(StepRisk::name, StepRisk::risk)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("expand", Risk.LOW),
            org.assertj.core.groups.Tuple.tuple("contract", Risk.HIGH));
    assertThat(assessment.refused()).isTrue();
    assertThat(assessment.refusedSteps()).containsExactly("contract");
    assertThat(assessment.refusalMessages()).containsExactly(
        "step contract is high risk (dropping-column at V3__drop_note.sql:2): add approval: required to the"
            + " step, or the annotation lockstep.dev/accept-risk: contract");
  }

  @Test
  void approvalRequiredAcceptsAHighRiskStep() {
    RiskAssessment assessment = RiskAssessor.assess(migration("", "      approval: required\n"), SCRIPTS);

    assertThat(assessment.level()).isEqualTo(Risk.HIGH);
    assertThat(assessment.refused()).isFalse();
    assertThat(assessment.refusalMessages()).isEmpty();
  }

  @Test
  void theAcceptRiskAnnotationNamesStepsCommaSeparated() {
    String annotation = "  annotations:\n    lockstep.dev/accept-risk: \"expand, contract\"\n";

    assertThat(RiskAssessor.assess(migration(annotation, ""), SCRIPTS).refused()).isFalse();
    String otherStep = "  annotations:\n    lockstep.dev/accept-risk: expand\n";
    assertThat(RiskAssessor.assess(migration(otherStep, ""), SCRIPTS).refusedSteps()).containsExactly("contract");
  }

  @Test
  void undoScriptsAreReportedUnderTheirStepButDoNotRaiseItsRisk() {
    RiskAssessment assessment = RiskAssessor.assess(migration("", ""), SCRIPTS);

    Finding undo = assessment.findings().stream().filter(Finding::undo).findFirst().orElseThrow();
    assertThat(undo.file()).isEqualTo("U2__currency.sql");
    assertThat(undo.step()).isEqualTo("expand");
    assertThat(undo.risk()).isEqualTo(Risk.HIGH);
    assertThat(assessment.steps().get(0).risk()).isEqualTo(Risk.LOW);
  }

  @Test
  void theStatusReportCarriesLevelAndFindings() {
    RiskReport report = RiskAssessor.assess(migration("", ""), SCRIPTS).toRiskReport();

    assertThat(report.getLevel()).isEqualTo("High");
    assertThat(report.getFindings()).anySatisfy(finding -> {
      assertThat(finding.getScript()).isEqualTo("V3__drop_note.sql");
      assertThat(finding.getLine()).isEqualTo(2);
      assertThat(finding.getRule()).isEqualTo("dropping-column");
      assertThat(finding.getLock()).isEqualTo("ACCESS EXCLUSIVE");
      assertThat(finding.getStep()).isEqualTo("contract");
      assertThat(finding.getRisk()).isEqualTo("High");
      assertThat(finding.getMessage()).startsWith("DROP COLUMN deletes data").contains("Instead: First stop");
    });
  }

  @Test
  void aWholeTableFillPointsToTheBackfillStepWithoutBlockingTheMigration() {
    Map<String, String> scripts = Map.of(
        "V1__orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY, amount numeric(10, 2));",
        "V2__cents.sql", "ALTER TABLE orders ADD COLUMN cents bigint;\n"
            + "UPDATE orders SET cents = (amount * 100)::bigint WHERE cents IS NULL;",
        "V3__drop_note.sql", "SELECT 1;");

    RiskAssessment assessment = RiskAssessor.assess(migration("", ""), scripts);

    assertThat(assessment.refused()).isFalse();
    Finding fill = assessment.findings().stream().filter(f -> f.rule().id().equals("whole-table-update-or-delete"))
        .findFirst().orElseThrow();
    assertThat(fill.step()).isEqualTo("expand");
    assertThat(fill.line()).isEqualTo(2);
    assertThat(fill.risk()).isEqualTo(Risk.MODERATE);
    assertThat(fill.fix()).contains("backfill step");
    assertThat(assessment.steps().get(0).risk()).isEqualTo(Risk.MODERATE);
  }

  @Test
  void aCommitInsideAFlywayScriptRefusesItsStep() {
    Map<String, String> scripts = Map.of(
        "V1__orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY);",
        "V2__currency.sql", "BEGIN;\nALTER TABLE orders ADD COLUMN currency text;\nCOMMIT;",
        "V3__drop_note.sql", "SELECT 1;");

    RiskAssessment assessment = RiskAssessor.assess(migration("", ""), scripts);

    assertThat(assessment.refusedSteps()).containsExactly("expand");
    assertThat(assessment.refusalMessages()).singleElement().asString()
        .contains("transaction-control-in-script at V2__currency.sql:3");
  }

  @Test
  void scriptsThatCannotBeRunAreErrorsThatRefuseTheMigration() {
    RiskAssessment assessment = RiskAssessor.assess(migration("", ""),
        Map.of("V1__a.sql", "SELECT 1;", "V1__b.sql", "SELECT 2;"));

    assertThat(assessment.refused()).isTrue();
    assertThat(assessment.errors()).singleElement().asString()
        .startsWith("SchemaMigration orders-currency: scripts V1__");
  }

  static SchemaMigration migration(String metadata, String contractExtra) {
    String yaml = """
        apiVersion: lockstep.dev/v1alpha1
        kind: SchemaMigration
        metadata:
          name: orders-currency
        %s
        spec:
          database: {name: orders, secretRef: {name: orders-db}}
          scripts: {configMapRef: {name: orders-migrations}}
          steps:
            - name: expand
              migrate: {to: "2"}
            - name: contract
        %s      migrate: {to: "3"}
        """.formatted(metadata, contractExtra);
    try {
      return YAMLMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build()
          .readValue(yaml, SchemaMigration.class);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
