package dev.lockstep.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true, https = false)
class LeaseReleaseTest {

  private static final String NAMESPACE = "lockstep-system";
  private static final String NAME = "lockstep-leader";

  static KubernetesClient client;

  @BeforeEach
  void noLease() {
    client.leases().inNamespace(NAMESPACE).withName(NAME).delete();
  }

  @Test
  void theHolderReleasesItsLeaseSoAStandbyNeedNotWaitForItToExpire() {
    heldBy("replica-a", 4, ZonedDateTime.now().minusSeconds(10));
    ZonedDateTime before = ZonedDateTime.now().minusSeconds(1);

    assertThat(LeaseRelease.release(client, LeaderElection.of(NAME, NAMESPACE, "replica-a"))).isTrue();

    // fabric8's release leaves the holder's name (a merge patch does not remove a field) and makes
    // the Lease expire a second after now, so any candidate takes it at its next retry.
    Lease lease = lease();
    assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(1);
    assertThat(lease.getSpec().getRenewTime()).isAfter(before);
    assertThat(lease.getSpec().getLeaseTransitions()).isEqualTo(4);
  }

  @Test
  void aReplicaDoesNotReleaseALeaseAnotherHolds() {
    heldBy("replica-b", 2, ZonedDateTime.now().minusSeconds(10));
    var held = lease().getSpec();

    assertThat(LeaseRelease.release(client, LeaderElection.of(NAME, NAMESPACE, "replica-a"))).isFalse();

    assertThat(lease().getSpec()).isEqualTo(held);
    assertThat(held.getHolderIdentity()).isEqualTo("replica-b");
  }

  @Test
  void noLeaseNothingToRelease() {
    assertThat(LeaseRelease.release(client, LeaderElection.of(NAME, NAMESPACE, "replica-a"))).isFalse();
    assertThat(lease()).isNull();
  }

  private void heldBy(String holder, int transitions, ZonedDateTime renewed) {
    client.leases().inNamespace(NAMESPACE).resource(new LeaseBuilder()
        .withNewMetadata().withName(NAME).withNamespace(NAMESPACE).endMetadata()
        .withNewSpec().withHolderIdentity(holder).withLeaseDurationSeconds(15).withLeaseTransitions(transitions)
        .withAcquireTime(renewed).withRenewTime(renewed).endSpec()
        .build()).create();
  }

  private Lease lease() {
    return client.leases().inNamespace(NAMESPACE).withName(NAME).get();
  }
}
