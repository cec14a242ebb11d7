package dev.lockstep.lint;

import dev.lockstep.lint.LintUnit.StepUnit;
import dev.lockstep.lint.plan.ScriptName;
import dev.lockstep.lint.rules.Risk;
import dev.lockstep.lint.rules.RuleHit;
import dev.lockstep.lint.rules.StaticAnalyzer;
import dev.lockstep.lint.shadow.ShadowAnalysis;
import dev.lockstep.lint.shadow.StatementObservation;
import dev.lockstep.sql.Script;
import dev.lockstep.sql.SqlStatement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Judges the scripts of one database: the static rules on every statement, in the order the
 * statements run, and, with a shadow analysis, what PostgreSQL really did, which wins where the two
 * disagree.
 */
public final class Linter {

  private final int postgresMajorVersion;
  private final ShadowAnalysis shadow;

  /**
   * @param postgresMajorVersion the target server's major version, for the version-dependent rules
   * @param shadow the shadow analysis, or null to judge statically only
   */
  public Linter(int postgresMajorVersion, ShadowAnalysis shadow) {
    this.postgresMajorVersion = postgresMajorVersion;
    this.shadow = shadow;
  }

  public LintResult lint(LintUnit unit) throws LintException {
    Map<SqlStatement, StatementObservation> observations = shadow == null ? Map.of() : shadow.observe(unit);
    StaticAnalyzer analyzer = new StaticAnalyzer(postgresMajorVersion);
    List<Finding> findings = new ArrayList<>();
    for (StepUnit step : unit.steps()) {
      for (Script script : step.forward()) {
        findings.addAll(judge(script, analyzer.analyze(script), step.name(), false, observations));
      }
    }
    for (Script script : unit.unassigned()) {
      boolean undo = ScriptName.parse(script.name()).map(n -> n.kind() == ScriptName.Kind.UNDO).orElse(false);
      findings.addAll(judge(script, analyzer.analyze(script), null, undo, observations));
    }
    for (int i = unit.steps().size() - 1; i >= 0; i--) {
      StepUnit step = unit.steps().get(i);
      for (Script script : step.undo()) {
        findings.addAll(judge(script, analyzer.analyze(script), step.name(), true, observations));
      }
    }
    List<StepRisk> steps = new ArrayList<>();
    for (StepUnit step : unit.steps()) {
      Risk risk = Risk.LOW;
      for (Finding finding : findings) {
        if (step.name().equals(finding.step()) && !finding.undo()) {
          risk = risk.max(finding.risk());
        }
      }
      steps.add(new StepRisk(step.name(), risk, step.approvalRequired(), step.riskAccepted()));
    }
    return new LintResult(List.copyOf(findings), List.copyOf(steps));
  }

  /** The findings of one script: its rule hits with what the shadow saw, then what only the shadow saw. */
  private static List<Finding> judge(Script script, List<RuleHit> hits, String step, boolean undo,
      Map<SqlStatement, StatementObservation> observations) {
    List<Finding> findings = new ArrayList<>();
    Set<SqlStatement> matched = new HashSet<>();
    for (RuleHit hit : hits) {
      Finding finding = Finding.of(hit, step, undo);
      StatementObservation observation = observations.get(hit.statement());
      findings.add(observation == null ? finding : ObservationJudge.judge(finding, hit.statement(), observation));
      matched.add(hit.statement());
    }
    for (SqlStatement statement : script.statements()) {
      StatementObservation observation = observations.get(statement);
      if (observation != null && !matched.contains(statement)) {
        ObservationJudge.unexpected(statement, observation, step, undo).ifPresent(findings::add);
      }
    }
    findings.sort((a, b) -> Integer.compare(a.line(), b.line()));
    return findings;
  }
}
