package dev.lockstep.lint;

import dev.lockstep.lint.ddl.Ddl;
import dev.lockstep.lint.ddl.DdlParser;
import dev.lockstep.lint.rules.LockMode;
import dev.lockstep.lint.rules.Risk;
import dev.lockstep.lint.rules.Rule;
import dev.lockstep.lint.rules.RuleHit;
import dev.lockstep.lint.shadow.ObservedLock;
import dev.lockstep.lint.shadow.ShadowAnalysis;
import dev.lockstep.lint.shadow.StatementObservation;
import dev.lockstep.lint.shadow.StatementObservation.Method;
import dev.lockstep.sql.SqlStatement;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Puts what PostgreSQL did on the shadow database beside a static finding. Where they disagree the
 * observation wins: the finding takes the observed lock and rewrite, and its note says what changed.
 */
final class ObservationJudge {

  /** SQLSTATE 25001: "cannot run inside a transaction block". */
  private static final String ACTIVE_SQL_TRANSACTION = "25001";
  /** SQLSTATE 23502: a NULL where NOT NULL is required. */
  private static final String NOT_NULL_VIOLATION = "23502";

  private ObservationJudge() {}

  static Finding judge(Finding finding, SqlStatement statement, StatementObservation observation) {
    if (observation.method() == Method.NOT_RUN) {
      String held = finding.rule() == Rule.TRANSACTION_CONTROL_IN_SCRIPT && !observation.locks().isEmpty()
          ? ". At this point the transaction held " + allLocks(observation) + ": a COMMIT here releases them and"
              + " a ROLLBACK undoes what took them, before the script ends"
          : "";
      return finding.withObservation(finding.lock(), finding.rewrite(), finding.risk(),
          observed(finding, observation, null, observation.error() + held + "; the static rule stands"));
    }
    if (observation.failed()) {
      return failed(finding, observation);
    }
    LockMode observedLock = finding.table() == null ? observation.strongestLock() : observation.lockOn(finding.table());
    List<String> rewrittenAnywhere = worseOfBothTimeZones(observation);
    boolean observedRewrite = !isTruncate(statement) && (finding.table() == null
        ? !rewrittenAnywhere.isEmpty()
        : rewrittenAnywhere.contains(finding.table()));
    if (observedLock == null && finding.lock() != null && finding.table() == null) {
      // DROP DATABASE locks the database, not a table: nothing in pg_locks to compare with.
      return finding.withObservation(finding.lock(), observedRewrite, finding.risk(), observed(finding, observation, null,
          "PostgreSQL took no table or type lock for it" + how(observation) + "; the static rule stands."));
    }
    LockMode lock = observedLock == null ? finding.lock() : observedLock;
    boolean lockAgrees = observedLock == null || observedLock == finding.lock();
    boolean rewriteAgrees = observedRewrite == finding.rewrite();
    Risk risk = finding.risk();
    StringBuilder note = new StringBuilder();
    if (!rewriteAgrees && observedRewrite) {
      risk = Risk.HIGH;
      note.append("PostgreSQL rewrote ").append(finding.table() == null ? "the table" : finding.table())
          .append(", which the static rule did not expect; the observation wins. ");
    } else if (!rewriteAgrees) {
      risk = riskWithoutRewrite(finding);
      note.append("PostgreSQL did not rewrite ").append(finding.table() == null ? "any table" : finding.table())
          .append(", so the static rule's rewrite does not happen here; the observation wins (risk ")
          .append(risk.label()).append("). ");
    }
    if (!lockAgrees) {
      note.append("The static rule expects ").append(finding.lock() == null ? "no lock" : finding.lock().sqlName())
          .append("; PostgreSQL held ");
      if (finding.table() == null) {
        note.append(allLocks(observation));
      } else {
        note.append(observedLock.sqlName()).append(" on ").append(finding.table())
            .append(heldSince(observation, finding.table()));
      }
      note.append(how(observation)).append("; the observation wins. ");
    }
    if (lockAgrees && rewriteAgrees) {
      note.append("Confirmed: ").append(summary(observation, finding.table())).append(how(observation)).append(". ");
    }
    if (observation.rewriteDependsOnTimeZone()) {
      note.append(timeZoneNote(observation));
    }
    return finding.withObservation(lock, observedRewrite, risk,
        observed(finding, observation, lockAgrees && rewriteAgrees, note.toString().trim()));
  }

  /** A finding for a statement no static rule matched, when the shadow saw something worth one. */
  static Optional<Finding> unexpected(SqlStatement statement, StatementObservation observation, String step,
      boolean undo) {
    if (observation.method() == Method.NOT_RUN) {
      return Optional.empty();
    }
    if (observation.failed()) {
      Finding finding = Finding.of(new RuleHit(Rule.STATEMENT_FAILS, statement, null, null, false,
          Rule.STATEMENT_FAILS.reason()), step, undo);
      return Optional.of(finding.withObservation(null, false, finding.risk(),
          new Observed(observation, null, false, null, "PostgreSQL: " + observation.error())));
    }
    List<String> rewritten = worseOfBothTimeZones(observation);
    if (rewritten.isEmpty() || isTruncate(statement)) {
      return Optional.empty();
    }
    String table = rewritten.get(0);
    LockMode lock = observation.lockOn(table);
    Finding finding = Finding.of(new RuleHit(Rule.OBSERVED_REWRITE, statement, table,
        lock == null ? Rule.OBSERVED_REWRITE.lock() : lock, true, Rule.OBSERVED_REWRITE.reason()), step, undo);
    String timeZone = observation.rewriteDependsOnTimeZone() ? " " + timeZoneNote(observation) : "";
    return Optional.of(finding.withObservation(finding.lock(), true, Risk.HIGH,
        new Observed(observation, null, false, false, "PostgreSQL rewrote " + String.join(", ", rewritten)
            + "; no static rule expected it." + timeZone)));
  }

  /**
   * The tables rewritten in the shadow's time zone or in UTC: where the two differ, the verdict depends
   * on the production session's time zone, and the worse one is reported.
   */
  private static List<String> worseOfBothTimeZones(StatementObservation observation) {
    if (!observation.rewriteDependsOnTimeZone()) {
      return observation.rewritten();
    }
    Set<String> both = new TreeSet<>(observation.rewritten());
    both.addAll(observation.rewrittenInUtc());
    return List.copyOf(both);
  }

  private static String timeZoneNote(StatementObservation observation) {
    return "The verdict depends on the session time zone: PostgreSQL rewrote "
        + (observation.rewritten().isEmpty() ? "nothing" : String.join(", ", observation.rewritten()))
        + " with TimeZone " + ShadowAnalysis.TIME_ZONE + " and "
        + (observation.rewrittenInUtc().isEmpty() ? "nothing" : String.join(", ", observation.rewrittenInUtc()))
        + " with UTC; the worse is reported, as production rewrites unless the migration's session runs in the"
        + " zone that spares it.";
  }

  /** The shadow's account, with the static rule's expectation beside it. */
  private static Observed observed(Finding finding, StatementObservation observation, Boolean agrees, String note) {
    return new Observed(observation, finding.lock(), finding.rewrite(), agrees, note);
  }

  /** TRUNCATE gives a table a new, empty file: that empties the table, it does not rewrite it. */
  private static boolean isTruncate(SqlStatement statement) {
    return DdlParser.parse(statement.tokens()) instanceof Ddl.Truncate;
  }

  private static Finding failed(Finding finding, StatementObservation observation) {
    String error = observation.error();
    boolean expected = (finding.rule() == Rule.CONCURRENTLY_IN_TRANSACTION && error.contains(ACTIVE_SQL_TRANSACTION))
        || ((finding.rule() == Rule.ADDING_REQUIRED_COLUMN || finding.rule() == Rule.SETTING_NOT_NULL)
            && error.contains(NOT_NULL_VIOLATION));
    String note;
    if (!expected) {
      note = "The statement failed on the shadow database (" + error + "); the static rule stands.";
    } else if (error.contains(ACTIVE_SQL_TRANSACTION)) {
      note = "Confirmed: PostgreSQL refused it in the transaction Flyway runs it in: " + error;
    } else {
      note = "Confirmed: it fails on a table that has rows: " + error;
    }
    return finding.withObservation(finding.lock(), finding.rewrite(), finding.risk(),
        observed(finding, observation, expected ? Boolean.TRUE : null, note));
  }

  /** What a finding whose risk came from a rewrite is worth when there is none. */
  private static Risk riskWithoutRewrite(Finding finding) {
    if (finding.rule() == Rule.ADDING_COLUMN_VOLATILE_DEFAULT) {
      return Risk.LOW; // the default is stored once in the catalog: a brief metadata change
    }
    if (finding.rule() == Rule.CHANGING_COLUMN_TYPE) {
      return Risk.MODERATE; // no rewrite, but it may still check every row under its lock
    }
    return finding.risk();
  }

  private static String heldSince(StatementObservation observation, String table) {
    for (ObservedLock lock : observation.locks()) {
      if (lock.relation().equals(table) && !lock.takenByStatement()) {
        return " (taken by an earlier statement of the same transaction, held until it commits)";
      }
    }
    return "";
  }

  /** How a statement that runs outside a transaction was seen. */
  private static String how(StatementObservation observation) {
    return observation.method() == Method.SECOND_SESSION
        ? " (run outside a transaction as Flyway runs it, and watched from a second session: the first lock it"
            + " asked for)"
        : "";
  }

  private static String summary(StatementObservation observation, String table) {
    String locked;
    if (table == null) {
      locked = observation.locks().isEmpty() ? "no table lock" : allLocks(observation);
    } else {
      LockMode lock = observation.lockOn(table);
      locked = lock == null ? "no lock on " + table : lock.sqlName() + " on " + table;
      String indexes = indexLocks(observation, table);
      locked += indexes.isEmpty() ? "" : " (and " + indexes + ")";
    }
    return observation.rewritten().isEmpty() ? locked + ", no rewrite"
        : locked + ", rewrote " + String.join(", ", observation.rewritten());
  }

  /**
   * Every lock the statement took, strongest first, each relation named (an index with its table):
   * {@code ACCESS EXCLUSIVE on index orders_status (of orders), SHARE on orders}. When it took none,
   * the locks held during it.
   */
  private static String allLocks(StatementObservation observation) {
    List<ObservedLock> taken = observation.locks().stream().filter(ObservedLock::takenByStatement).toList();
    List<ObservedLock> shown = taken.isEmpty() ? observation.locks() : taken;
    return shown.stream()
        .sorted(Comparator.comparing(ObservedLock::mode).reversed().thenComparing(ObservedLock::relation))
        .map(lock -> lock.mode().sqlName() + " on " + lock.describeRelation()
            + (lock.granted() ? "" : " (waited for)"))
        .collect(Collectors.joining(", "));
  }

  /** Locks stronger than ROW EXCLUSIVE the statement took on indexes of {@code table}, in words. */
  private static String indexLocks(StatementObservation observation, String table) {
    return observation.locks().stream()
        .filter(lock -> table.equals(lock.indexOf()) && lock.takenByStatement()
            && lock.mode().compareTo(LockMode.ROW_EXCLUSIVE) > 0)
        .map(lock -> lock.mode().sqlName() + " on index " + lock.relation())
        .collect(Collectors.joining(", "));
  }
}
