package dev.lockstep.gates;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RolloutTest {

  @Test
  void everyReplicaUpdatedReadyAndAvailableIsDone() {
    assertThat(Rollout.of("Deployment/orders", 2, 2L, 3, 3, 3, 3, 3).done()).isTrue();
  }

  @Test
  void podsOfThePreviousRevisionStillRunningMeanItIsNotDone() {
    // maxSurge: the new ReplicaSet is complete and ready, an old pod still runs the old code.
    Rollout rollout = Rollout.of("Deployment/orders", 2, 2L, 3, 4, 3, 3, 3);

    assertThat(rollout.done()).isFalse();
    assertThat(rollout.detail()).isEqualTo("Deployment/orders: 1 of 4 pods still run the previous revision");
  }

  @Test
  void withoutTheTotalOnlyTheUpdatedReplicasCount() {
    assertThat(Rollout.of("Deployment/orders", 2, 2L, 3, 3, 3, 3).done()).isTrue();
    assertThat(Rollout.of("Deployment/orders", 2, 2L, 3, 2, 3, 3).done()).isFalse();
  }
}
