package dev.lockstep.reconcile;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectorBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;

/**
 * Gives up the Lease a stopping leader holds, so a standby takes over at its next retry instead of
 * waiting out the lease duration. fabric8's {@code LeaderElector} does this on cancel when built with
 * {@code releaseOnCancel}, but JOSDK 5.2.3 builds it with {@code false} and has no setting for it; so
 * a second elector for the same Lease and identity, never started, calls fabric8's own
 * {@code release()}: only while this identity still holds the Lease, it makes it expire a second
 * from now (leaseDurationSeconds 1, renewed now).
 */
final class LeaseRelease {

  private LeaseRelease() {}

  /** Whether the Lease was held by {@code election}'s identity and is now released. */
  static boolean release(KubernetesClient client, LeaderElection election) {
    LeaderCallbacks none = new LeaderCallbacks(() -> {}, () -> {}, leader -> {});
    LeaderElectionConfig config = new LeaderElectionConfig(
        new LeaseLock(election.leaseNamespace(), election.leaseName(), election.identity()),
        election.leaseDuration(), election.renewDeadline(), election.retryPeriod(), none, true, election.leaseName());
    LeaderElector elector = new LeaderElectorBuilder(client, Runnable::run).withConfig(config).build();
    return elector.release();
  }
}
