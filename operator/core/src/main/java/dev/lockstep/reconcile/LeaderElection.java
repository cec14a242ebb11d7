package dev.lockstep.reconcile;

import java.time.Duration;

/**
 * Leader election through a {@code coordination.k8s.io/v1} Lease (JOSDK's, on fabric8's
 * LeaderElector): every replica starts its informers, only the Lease holder reconciles.
 *
 * @param leaseName the Lease's name
 * @param leaseNamespace its namespace (the operator's own)
 * @param identity this replica's holder identity (the pod name)
 * @param leaseDuration how long a holder that stopped renewing keeps the Lease: the longest a
 *     takeover waits
 * @param renewDeadline how long the holder tries to renew before it gives up leading
 * @param retryPeriod how often candidates try to take the Lease and the holder renews it
 */
public record LeaderElection(
    String leaseName, String leaseNamespace, String identity,
    Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {

  /** With client-go's defaults: 15 s lease, 10 s renew deadline, 2 s retry period. */
  public static LeaderElection of(String leaseName, String leaseNamespace, String identity) {
    return new LeaderElection(leaseName, leaseNamespace, identity,
        Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
  }

  public LeaderElection {
    if (leaseName == null || leaseName.isBlank()) {
      throw new IllegalArgumentException("leader election needs a lease name (--lease-name or LOCKSTEP_LEASE_NAME)");
    }
    if (leaseNamespace == null || leaseNamespace.isBlank()) {
      throw new IllegalArgumentException(
          "leader election needs the lease's namespace (--lease-namespace or LOCKSTEP_LEASE_NAMESPACE)");
    }
    if (!(renewDeadline.compareTo(leaseDuration) < 0)) {
      throw new IllegalArgumentException("the renew deadline must be shorter than the lease duration");
    }
  }
}
