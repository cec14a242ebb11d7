package dev.lockstep.e2e;

import static dev.lockstep.reconcile.Migrations.migrate;
import static dev.lockstep.reconcile.Migrations.migration;
import static dev.lockstep.reconcile.Migrations.soak;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.StepStatus;
import dev.lockstep.reconcile.LeaderElection;
import dev.lockstep.reconcile.LockstepOperator;
import dev.lockstep.reconcile.OperatorRuntime;
import dev.lockstep.world.kubelet.KubeletFaults;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two operator replicas against one API server, leading by a Lease: only the leader reconciles, and
 * when it stops in the middle of a migration (its Job still running) the other takes the Lease over
 * and finishes the migration, adopting the running Job instead of starting any step again. The
 * stopping leader releases its Lease, so the standby takes over at its next retry, long before the
 * lease would have expired.
 */
class LeaderElectionEndToEndTest extends ClusterTest {

  private static final String LEASE = "lockstep-leader";
  private static final String LEASE_NAMESPACE = "lockstep-system";

  /**
   * A lease far longer than the test waits for the takeover: only a released Lease changes hands in
   * time; a quick retry so the standby sees the release soon.
   */
  private static final Duration LEASE_DURATION = Duration.ofSeconds(60);

  private static OperatorRuntime replica(String identity, AtomicInteger lostLeadership) {
    LeaderElection election = new LeaderElection(LEASE, LEASE_NAMESPACE, identity,
        LEASE_DURATION, Duration.ofSeconds(2), Duration.ofMillis(250));
    return new OperatorRuntime(Optional.of(election), Optional.empty(), lostLeadership::incrementAndGet);
  }

  @Test
  void onlyTheLeaderReconcilesAndTheStandbyFinishesWhatItStarted() throws Exception {
    world.cluster.stopOperator(); // the fixture's own operator runs without leader election
    world.secret("orders-db");
    world.scripts("orders-migrations", CrashResumeEndToEndTest.SCRIPTS);
    var hold = world.cluster.kubelet().faults().holdJobs(KubeletFaults.jobNamed("orders-currency-fill-1"));
    AtomicInteger lostA = new AtomicInteger();
    AtomicInteger lostB = new AtomicInteger();
    LockstepOperator a = world.cluster.newReplica("replica-a", replica("replica-a", lostA));
    LockstepOperator b = world.cluster.newReplica("replica-b", replica("replica-b", lostB));
    try {
      a.start();
      await().atMost(Duration.ofSeconds(30)).until(a::leading);
      b.start();
      world.apply(migration(migrate("expand", "2"), soak("soak", "1s"), migrate("fill", "3")));

      await().atMost(Duration.ofSeconds(90)).until(() -> !hold.heldJobs().isEmpty());
      assertThat(b.leading()).as("the standby does not lead while the leader renews").isFalse();
      assertThat(reporters()).as("Events are written by the reconciling replica only").containsOnly("replica-a");
      assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("replica-a");

      a.close(); // the leader stops mid-migration: its fill Job is still running
      await("the standby takes the released Lease over").atMost(LEASE_DURATION.dividedBy(4))
          .until(() -> "replica-b".equals(lease().getSpec().getHolderIdentity()));
      await().atMost(Duration.ofSeconds(5)).until(b::leading);
      hold.release();

      SchemaMigration done = world.awaitPhase("orders-currency", Phase.Succeeded);
      assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("replica-b");
      assertThat(reporters()).contains("replica-a", "replica-b");
      assertThat(world.jobs("orders-currency")).as("no step ran twice").extracting(j -> j.getMetadata().getName())
          .containsExactlyInAnyOrder("orders-currency-expand-1", "orders-currency-fill-1");
      assertThat(world.appliedVersions()).containsExactly("1", "2", "3");
      assertThat(done.getStatus().getSteps()).extracting(StepStatus::getAttempts).containsOnly(1);
      assertThat(lostA.get()).as("closing is not losing the Lease").isZero();
      assertThat(lostB.get()).isZero();
    } finally {
      a.close();
      b.close();
    }
  }

  private java.util.List<String> reporters() {
    return world.events("orders-currency").stream().map(Event::getReportingInstance).distinct().toList();
  }

  private Lease lease() {
    return world.client.leases().inNamespace(LEASE_NAMESPACE).withName(LEASE).get();
  }
}
