package dev.lockstep.reconcile;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;

/**
 * How one operator instance runs beside others and reports: leader election, where metrics go,
 * and what to do when leadership is lost.
 *
 * @param leaderElection the Lease to lead by; empty to reconcile at once, alone
 * @param registry where JOSDK's and Lockstep's metrics go; empty for none
 * @param onLostLeadership runs when this instance stops leading while it is not being closed: the
 *     command exits (a replica that lost its Lease must not go on reconciling, and a restart
 *     makes it a candidate again)
 */
public record OperatorRuntime(
    Optional<LeaderElection> leaderElection, Optional<MeterRegistry> registry, Runnable onLostLeadership) {

  /** One instance, no metrics: tests and tools. */
  public static OperatorRuntime alone() {
    return new OperatorRuntime(Optional.empty(), Optional.empty(), () -> {});
  }
}
