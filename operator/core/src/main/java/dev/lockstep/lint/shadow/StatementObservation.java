package dev.lockstep.lint.shadow;

import dev.lockstep.lint.rules.LockMode;
import java.util.List;

/**
 * What one statement did on the shadow database.
 *
 * @param locks the locks held on user relations while it ran
 * @param rewritten tables whose storage file ({@code pg_class.relfilenode}) changed: rewritten
 * @param error PostgreSQL's error when the statement failed ({@code SQLSTATE: message}); why it was not
 *     run, for {@link Method#NOT_RUN}; null when it ran
 * @param method how it was observed
 * @param rewrittenInUtc for a statement whose effect may depend on the session time zone (a column type
 *     change), the tables it rewrote when run again with the time zone UTC; null when not tried. The
 *     shadow's own sessions run in {@link ShadowDatabase#TIME_ZONE}.
 */
public record StatementObservation(
    List<ObservedLock> locks, List<String> rewritten, String error, Method method, List<String> rewrittenInUtc) {

  public StatementObservation(List<ObservedLock> locks, List<String> rewritten, String error, Method method) {
    this(locks, rewritten, error, method, null);
  }

  /** Whether the tables rewritten differ between the shadow's time zone and UTC. */
  public boolean rewriteDependsOnTimeZone() {
    return rewrittenInUtc != null && !rewrittenInUtc.equals(rewritten);
  }

  public enum Method {
    /** Run inside a transaction that was rolled back, as Flyway runs a transactional script. */
    IN_TRANSACTION,
    /** Run outside a transaction (as Flyway does), watched from a second session while it waited. */
    SECOND_SESSION,
    /** Not run: an earlier statement of its script failed, or it is transaction control. */
    NOT_RUN
  }

  /** The strongest lock held on {@code relation} while the statement ran, or null. */
  public LockMode lockOn(String relation) {
    LockMode strongest = null;
    for (ObservedLock lock : locks) {
      if (lock.relation().equals(relation)) {
        strongest = lock.mode().max(strongest);
      }
    }
    return strongest;
  }

  /** The strongest lock it held on any relation, or null. */
  public LockMode strongestLock() {
    LockMode strongest = null;
    for (ObservedLock lock : locks) {
      strongest = lock.mode().max(strongest);
    }
    return strongest;
  }

  public boolean failed() {
    return error != null;
  }
}
