package dev.lockstep.lint.input;

import dev.lockstep.lint.Finding;
import dev.lockstep.lint.LintResult;
import java.util.List;
import java.util.Map;

/**
 * What {@code lockstep lint} found, with where each finding is in the files given and the plan of each
 * SchemaMigration linted.
 *
 * @param locations each finding of {@code result} to its place in the input files
 * @param migrations the SchemaMigrations linted, in input order
 */
public record LintedInputs(LintResult result, Map<Finding, SourceLocation> locations, List<LintedMigration> migrations) {

  /**
   * One SchemaMigration and its steps in order.
   *
   * @param file the manifest it came from
   */
  public record LintedMigration(String name, String file, List<PlannedStep> steps) {}

  /**
   * One step of the plan.
   *
   * @param name the step's name as findings and step risks carry it ({@code migration/step} when
   *     several migrations were linted)
   * @param action what it does, in a few words ("migrate to 2", "flags orders-read → on (10%)")
   * @param approvalRequired it has {@code approval: required}
   */
  public record PlannedStep(String name, String action, boolean approvalRequired) {}

  /** The finding's place in the input files; its script and line when nothing better is known. */
  public SourceLocation location(Finding finding) {
    SourceLocation location = locations.get(finding);
    return location != null ? location : new SourceLocation(finding.file(), finding.line());
  }
}
