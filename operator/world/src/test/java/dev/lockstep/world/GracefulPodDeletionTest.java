package dev.lockstep.world;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class GracefulPodDeletionTest {

  private static final Instant NOW = Instant.parse("2026-12-02T20:00:00Z");

  private static PodBuilder running() {
    return new PodBuilder().withNewMetadata().withName("fill-abcde").withNamespace("shop").endMetadata()
        .withNewSpec().withNodeName("lockstep-world").endSpec().withNewStatus().withPhase("Running").endStatus();
  }

  @Test
  void aRunningPodIsMarkedWithThePodsGracePeriodOrThirtySeconds() {
    Pod marked = GracefulPodDeletion.mark(running().build(), null, NOW).orElseThrow();
    assertThat(marked.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(30L);
    assertThat(marked.getMetadata().getDeletionTimestamp()).isEqualTo("2026-12-02T20:00:30Z");

    Pod own = GracefulPodDeletion.mark(running().editSpec().withTerminationGracePeriodSeconds(5L).endSpec().build(),
        null, NOW).orElseThrow();
    assertThat(own.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(5L);
  }

  @Test
  void aShorterGraceBringsTheDeletionForwardAndALongerOneChangesNothing() {
    Pod marked = GracefulPodDeletion.mark(running().build(), 10L, NOW).orElseThrow();
    Pod longer = GracefulPodDeletion.mark(new PodBuilder(marked).build(), 60L, NOW.plusSeconds(1)).orElseThrow();
    assertThat(longer.getMetadata().getDeletionTimestamp()).isEqualTo("2026-12-02T20:00:10Z");

    Pod now = GracefulPodDeletion.mark(new PodBuilder(marked).editMetadata()
        .withFinalizers(List.of("batch.kubernetes.io/job-tracking")).endMetadata().build(), 0L, NOW.plusSeconds(2))
        .orElseThrow();
    assertThat(now.getMetadata().getDeletionGracePeriodSeconds()).isZero();
    assertThat(now.getMetadata().getDeletionTimestamp()).isEqualTo("2026-12-02T20:00:02Z");
  }

  @Test
  void withoutAGracePeriodOrAFinalizerThePodIsRemovedAtOnce() {
    assertThat(GracefulPodDeletion.mark(running().build(), 0L, NOW)).isEmpty();
    assertThat(GracefulPodDeletion.mark(running().editStatus().withPhase("Succeeded").endStatus().build(), null, NOW))
        .as("an ended pod has no grace period").isEmpty();
    assertThat(GracefulPodDeletion.mark(running().editSpec().withNodeName(null).endSpec().build(), null, NOW))
        .as("nor has an unbound one").isEmpty();
  }

  @Test
  void theGracePeriodComesFromTheDeleteOptionsOrTheQuery() {
    String path = "/api/v1/namespaces/shop/pods/fill-abcde";
    assertThat(GracefulPodDeletion.deletesOnePod("DELETE", path)).isTrue();
    assertThat(GracefulPodDeletion.deletesOnePod("DELETE", "/api/v1/namespaces/shop/pods")).isFalse();
    assertThat(GracefulPodDeletion.requestedGrace(path, "{\"gracePeriodSeconds\":0}")).isZero();
    assertThat(GracefulPodDeletion.requestedGrace(path + "?gracePeriodSeconds=7", "")).isEqualTo(7L);
    assertThat(GracefulPodDeletion.requestedGrace(path, "{\"propagationPolicy\":\"Background\"}")).isNull();
  }
}
