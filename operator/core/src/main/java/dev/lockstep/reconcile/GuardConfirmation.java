package dev.lockstep.reconcile;

import dev.lockstep.api.SchemaMigrationStatus;
import java.time.Duration;
import java.time.Instant;

/**
 * The rule that keeps one bad look from rolling a migration back: a guard breach counts only once
 * it has been seen on {@link #CHECKS} consecutive checks spanning at least {@link #SPAN}; a check that
 * finds every guard holding starts the count again. Under load a pod can be slow to answer once;
 * a real incompatibility or an unready workload is still there a few seconds later. (A pod whose
 * probe times out is "unknown", never a breach, in the first place: see {@code GuardChecks}.) The
 * count lives in status, so it survives restarts. Pure.
 */
final class GuardConfirmation {

  /** Consecutive checks a breach must be seen on. */
  static final int CHECKS = 3;

  /** The least time from the first of those checks to the last. */
  static final Duration SPAN = Duration.ofSeconds(4);

  private GuardConfirmation() {}

  /**
   * Records one check in {@code status} and says what it amounts to.
   *
   * @param breach what the guards saw as breached this time, or {@code null} when they all held
   * @return the breach once confirmed, else {@code null}
   */
  static String confirm(SchemaMigrationStatus status, String breach, Instant now) {
    if (breach == null) {
      status.setGuardBreachChecks(null);
      status.setGuardBreachFirstSeen(null);
      return null;
    }
    int checks = status.getGuardBreachChecks() == null ? 1 : status.getGuardBreachChecks() + 1;
    Instant first = status.getGuardBreachFirstSeen() == null ? now : Instant.parse(status.getGuardBreachFirstSeen());
    if (first.isAfter(now)) {
      first = now;
    }
    status.setGuardBreachChecks(checks);
    status.setGuardBreachFirstSeen(first.toString());
    boolean confirmed = checks >= CHECKS && !Duration.between(first, now).minus(SPAN).isNegative();
    return confirmed ? breach : null;
  }

  /** What an unconfirmed breach is told as, while the migration looks again before going on. */
  static String unconfirmed(SchemaMigrationStatus status, String breach) {
    return "a guard looks breached (seen on " + status.getGuardBreachChecks() + " of " + CHECKS
        + " consecutive checks over at least " + dev.lockstep.api.Durations.format(SPAN)
        + " before it counts); looking again before going on: " + breach;
  }
}
