package dev.lockstep.lint;

import dev.lockstep.api.Approval;
import dev.lockstep.api.InspectedFinding;
import dev.lockstep.api.InspectedScripts;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.Step;
import dev.lockstep.lint.plan.MigrationPlan;
import dev.lockstep.lint.plan.ScriptName;
import dev.lockstep.lint.plan.StepScripts;
import dev.lockstep.lint.rules.LockMode;
import dev.lockstep.lint.rules.Risk;
import dev.lockstep.lint.rules.Rule;
import dev.lockstep.sql.ScriptSplitter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Static risk analysis split in two for scripts the operator cannot read (they live in an image):
 * the inspection Job judges the scripts alone ({@link #inspect}), in Flyway's order, which is the
 * order the steps run them; the operator then lays the findings out over the migration's steps
 * ({@link #assess}), exactly as {@link RiskAssessor} does for scripts it can read.
 */
public final class ScriptsInspection {

  /** Hex digits of a script's SHA-256 kept: enough to tell a changed script, short enough for 4 KiB. */
  static final int CHECKSUM_DIGITS = 12;

  private ScriptsInspection() {}

  /** The inventory and static findings of {@code files} (file name to text; {@code .conf} files included). */
  public static InspectedScripts inspect(Map<String, String> files, int postgresMajorVersion) {
    InspectedScripts inspected = new InspectedScripts();
    Map<String, String> checksums = new TreeMap<>();
    files.forEach((name, text) -> {
      if (name.toLowerCase(Locale.ROOT).endsWith(".sql")) {
        checksums.put(name, checksum(text));
      }
    });
    inspected.setFiles(checksums);
    List<InspectedFinding> findings = new ArrayList<>();
    try {
      LintResult result = new Linter(postgresMajorVersion, null)
          .lint(LintUnit.ofScripts(files, new ScriptSplitter(postgresMajorVersion)));
      for (Finding finding : result.findings()) {
        findings.add(toInspected(finding));
      }
      inspected.setErrors(List.of());
    } catch (LintException e) {
      inspected.setErrors(List.of(e.getMessage()));
    }
    inspected.setFindings(findings);
    return inspected;
  }

  /** The risk of {@code migration}'s steps from what an inspection found in its scripts image. */
  public static RiskAssessment assess(SchemaMigration migration, InspectedScripts inspected) {
    List<String> errors = inspected.getErrors() == null ? List.of() : inspected.getErrors();
    if (!errors.isEmpty()) {
      return new RiskAssessment(Risk.LOW, List.of(), List.of(), List.copyOf(errors));
    }
    List<Step> steps = migration.getSpec() == null || migration.getSpec().getSteps() == null
        ? List.of() : migration.getSpec().getSteps();
    Set<String> names = inspected.getFiles() == null ? Set.of() : inspected.getFiles().keySet();
    MigrationPlan plan;
    try {
      plan = MigrationPlan.of(steps, names);
    } catch (IllegalArgumentException e) {
      return RiskAssessment.invalid(LintUnit.migrationName(migration) + ": " + e.getMessage());
    }
    Map<String, String> stepOf = new HashMap<>();
    for (StepScripts step : plan.steps()) {
      step.forward().forEach(file -> stepOf.put(file, step.step()));
      step.undo().forEach(file -> stepOf.put(file, step.step()));
    }
    List<Finding> findings = new ArrayList<>();
    try {
      for (InspectedFinding finding : inspected.getFindings() == null ? List.<InspectedFinding>of()
          : inspected.getFindings()) {
        findings.add(fromInspected(finding, stepOf.get(finding.getFile())));
      }
    } catch (IllegalArgumentException | NullPointerException e) {
      return RiskAssessment.invalid("the inspection of the scripts image reports a finding this operator cannot read ("
          + e.getMessage() + "); run the same Lockstep version for the operator and its Jobs");
    }
    Set<String> accepted = LintUnit.acceptedSteps(migration);
    List<StepRisk> risks = new ArrayList<>();
    Risk level = Risk.LOW;
    for (Step step : steps) {
      Risk risk = Risk.LOW;
      for (Finding finding : findings) {
        if (step.getName() != null && step.getName().equals(finding.step()) && !finding.undo()) {
          risk = risk.max(finding.risk());
        }
      }
      level = level.max(risk);
      risks.add(new StepRisk(step.getName(), risk, step.getApproval() == Approval.REQUIRED,
          accepted.contains(step.getName())));
    }
    return new RiskAssessment(level, List.copyOf(risks), List.copyOf(findings), List.of());
  }

  private static InspectedFinding toInspected(Finding finding) {
    InspectedFinding inspected = new InspectedFinding();
    inspected.setFile(finding.file());
    inspected.setLine(finding.line());
    inspected.setRule(finding.rule().id());
    inspected.setRisk(finding.risk().label());
    inspected.setLock(finding.lock() == null ? null : finding.lock().name());
    inspected.setTable(finding.table());
    return inspected;
  }

  /** A finding as the linter would have made it; the rule's own words stand for the statement's. */
  private static Finding fromInspected(InspectedFinding inspected, String step) {
    Rule rule = rule(inspected.getRule());
    LockMode lock = inspected.getLock() == null ? null : LockMode.valueOf(inspected.getLock());
    Risk risk = Risk.valueOf(inspected.getRisk().toUpperCase(Locale.ROOT));
    boolean undo = ScriptName.parse(inspected.getFile())
        .map(name -> name.kind() == ScriptName.Kind.UNDO).orElse(false);
    var blocks = !rule.blocksByTableLock() || lock == null ? rule.blocks() : lock.blocks();
    return new Finding(inspected.getFile(), inspected.getLine() == null ? 0 : inspected.getLine(), "", rule,
        inspected.getTable(), lock, Set.copyOf(blocks), risk, rule.rewrites(), null, rule.reason(), step, undo);
  }

  private static Rule rule(String id) {
    for (Rule rule : Rule.values()) {
      if (rule.id().equals(id)) {
        return rule;
      }
    }
    throw new IllegalArgumentException("the inspection names rule " + id + ", which this operator does not know;"
        + " run the same Lockstep version for the operator and its Jobs");
  }

  static String checksum(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, CHECKSUM_DIGITS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
