package dev.lockstep.lint.shadow;

import dev.lockstep.lint.LintException;
import dev.lockstep.lint.LintUnit;
import dev.lockstep.sql.SqlStatement;
import java.util.Map;

/** Runs statements on a throw-away database and reports what each really did. */
public interface ShadowAnalysis {

  /**
   * The session time zone a shadow judges in: not UTC, because PostgreSQL 12+ skips the rewrite of a
   * timestamptz to timestamp change only in UTC, which production rarely runs in.
   */
  String TIME_ZONE = "America/New_York";

  /** What each statement of {@code unit} did, run in the order the unit lays out. */
  Map<SqlStatement, StatementObservation> observe(LintUnit unit) throws LintException;
}
