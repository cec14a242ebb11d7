package dev.lockstep.lint;

import dev.lockstep.api.SchemaMigration;
import dev.lockstep.sql.ScriptSplitter;
import java.util.Map;

/**
 * Classifies a SchemaMigration's steps at validation, from the static rules alone: no database, no
 * I/O. A high-risk step without {@code approval: required} is refused unless the annotation
 * {@code lockstep.dev/accept-risk} names it (a comma-separated list of step names).
 */
public final class RiskAssessor {

  /** The PostgreSQL major version whose facts the rules assume unless told otherwise. */
  public static final int DEFAULT_POSTGRES_VERSION = 14;

  private RiskAssessor() {}

  /** The assessment of {@code migration}, whose scripts are given as file name to SQL. */
  public static RiskAssessment assess(SchemaMigration migration, Map<String, String> scriptsByFileName) {
    return assess(migration, scriptsByFileName, DEFAULT_POSTGRES_VERSION);
  }

  /** As {@link #assess(SchemaMigration, Map)}, for a target server of {@code postgresMajorVersion}. */
  public static RiskAssessment assess(
      SchemaMigration migration, Map<String, String> scriptsByFileName, int postgresMajorVersion) {
    try {
      LintUnit unit = LintUnit.of(migration, scriptsByFileName, new ScriptSplitter(postgresMajorVersion));
      return RiskAssessment.of(new Linter(postgresMajorVersion, null).lint(unit));
    } catch (LintException e) {
      return RiskAssessment.invalid(e.getMessage());
    }
  }
}
