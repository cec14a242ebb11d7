package dev.lockstep.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A hard kill: the kill point is carried out and answered, then nothing of the killed client reaches the store. */
class OperatorKillsTest {

  @Test
  void afterTheKillPointNothingOfTheKilledOperatorIsCarriedOutWhileOthersAreServed() {
    try (KubernetesWorld world = KubernetesWorld.start()) {
      KubernetesClient operator = world.newOperatorClient();
      ApiRequestLog log = world.requestLog();
      log.start();
      OperatorKills.Kill kill = world.operatorKills().after("after creating cm-1",
          c -> "POST".equals(c.method()) && c.resourcePath().endsWith("/configmaps") && c.body().contains("cm-1"));

      operator.configMaps().inNamespace("ns").resource(map("cm-0")).create();
      assertThat(kill.hasFired()).isFalse();
      operator.configMaps().inNamespace("ns").resource(map("cm-1")).create();
      assertThat(kill.await(Duration.ofSeconds(1)).code()).isEqualTo(201);
      assertThatThrownBy(() -> operator.configMaps().inNamespace("ns").resource(map("cm-2")).create())
          .isInstanceOf(KubernetesClientException.class).hasMessageContaining("killed");

      KubernetesClient successor = world.newOperatorClient(RbacRequestLog.OPERATOR_AGENT + "/2");
      successor.configMaps().inNamespace("ns").resource(map("cm-3")).create();
      assertThat(world.client().configMaps().inNamespace("ns").list().getItems())
          .extracting(c -> c.getMetadata().getName()).containsExactlyInAnyOrder("cm-0", "cm-1", "cm-3");
      assertThat(log.requests()).filteredOn(r -> r.creates("configmaps"))
          .extracting(ApiRequestLog.Request::name).containsExactly("cm-0", "cm-1", "cm-3");
    }
  }

  @Test
  void aTimeoutAfterTheWriteStoresItAndTheRetryAnswersConflict() {
    try (KubernetesWorld world = KubernetesWorld.start()) {
      ApiRequestLog log = world.requestLog();
      log.start();
      world.apiFaults().timeOutNext(1, "POST", "/configmaps$");
      assertThatThrownBy(() -> world.client().configMaps().inNamespace("ns").resource(map("cm")).create())
          .isInstanceOf(KubernetesClientException.class);
      assertThat(world.client().configMaps().inNamespace("ns").withName("cm").get()).isNotNull();
      assertThat(log.requests()).filteredOn(r -> r.creates("configmaps"))
          .extracting(ApiRequestLog.Request::code, ApiRequestLog.Request::carriedOut)
          .startsWith(org.assertj.core.groups.Tuple.tuple(504, true));
      assertThat(world.apiFaults().injected(ApiFaults.Kind.TIMEOUT_AFTER_WRITE)).isEqualTo(1);
    }
  }

  private static io.fabric8.kubernetes.api.model.ConfigMap map(String name) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("ns").endMetadata().build();
  }
}
