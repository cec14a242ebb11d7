package dev.lockstep.lint;

import static dev.lockstep.lint.RiskAssessorTest.migration;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.InspectedFinding;
import dev.lockstep.api.InspectedScripts;
import dev.lockstep.api.SchemaMigration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scripts in an image are judged in two halves — the inspection Job alone, the operator with the
 * steps — and must come out exactly as scripts the operator reads itself.
 */
class ScriptsInspectionTest {

  private static final Map<String, String> SCRIPTS = Map.of(
      "V1__orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY, note text);",
      "V2__currency.sql", "ALTER TABLE orders ADD COLUMN currency text DEFAULT 'EUR';",
      "U2__currency.sql", "ALTER TABLE orders DROP COLUMN currency;",
      "V3__drop_note.sql", "-- contract\nALTER TABLE orders DROP COLUMN note;");

  private static InspectedScripts inspected(Map<String, String> scripts) {
    return ScriptsInspection.inspect(scripts, RiskAssessor.DEFAULT_POSTGRES_VERSION);
  }

  @Test
  void theInspectedRiskIsTheRiskOfTheScriptsRead() {
    for (SchemaMigration migration : List.of(migration("", ""), migration("", "      approval: required\n"),
        migration("  annotations:\n    lockstep.dev/accept-risk: contract\n", ""))) {
      RiskAssessment read = RiskAssessor.assess(migration, SCRIPTS);
      RiskAssessment fromImage = ScriptsInspection.assess(migration, inspected(SCRIPTS));

      assertThat(fromImage.level()).isEqualTo(read.level());
      assertThat(fromImage.steps()).isEqualTo(read.steps());
      assertThat(fromImage.refusedSteps()).isEqualTo(read.refusedSteps());
      assertThat(fromImage.refusalMessages()).isEqualTo(read.refusalMessages());
      assertThat(fromImage.findings()).extracting(Finding::file, Finding::line, Finding::rule, Finding::step,
          Finding::undo, Finding::risk, Finding::lock)
          .isEqualTo(read.findings().stream().map(f -> org.assertj.core.groups.Tuple.tuple(f.file(), f.line(),
              f.rule(), f.step(), f.undo(), f.risk(), f.lock())).toList());
    }
  }

  @Test
  void theRefusalNamesTheRuleAndTheLineAsForAConfigMap() {
    assertThat(ScriptsInspection.assess(migration("", ""), inspected(SCRIPTS)).refusalMessages()).containsExactly(
        "step contract is high risk (dropping-column at V3__drop_note.sql:2): add approval: required to the"
            + " step, or the annotation lockstep.dev/accept-risk: contract");
  }

  @Test
  void aScriptThatCannotBeJudgedRefusesTheMigration() {
    InspectedScripts broken = inspected(Map.of("V2__currency.sql", "ALTER TABLE orders ADD COLUMN 'oops"));

    assertThat(broken.getErrors()).hasSize(1);
    RiskAssessment assessment = ScriptsInspection.assess(migration("", ""), broken);
    assertThat(assessment.refused()).isTrue();
    assertThat(assessment.refusalMessages()).containsExactlyElementsOf(broken.getErrors());
  }

  @Test
  void aFindingOfAnotherVersionsRuleRefusesWithAClearReason() {
    InspectedScripts inspected = inspected(SCRIPTS);
    InspectedFinding unknown = new InspectedFinding();
    unknown.setFile("V3__drop_note.sql");
    unknown.setLine(2);
    unknown.setRule("rule-of-the-future");
    unknown.setRisk("high");
    List<InspectedFinding> findings = new ArrayList<>(inspected.getFindings());
    findings.add(unknown);
    inspected.setFindings(findings);

    RiskAssessment assessment = ScriptsInspection.assess(migration("", ""), inspected);

    assertThat(assessment.refused()).isTrue();
    assertThat(assessment.refusalMessages()).singleElement().asString()
        .contains("rule-of-the-future").contains("same Lockstep version for the operator and its Jobs");
  }
}
