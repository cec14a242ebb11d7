package dev.lockstep.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.world.kubelet.ImageCatalog;
import dev.lockstep.world.kubelet.SimulatedKubelet;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Closing the world leaves no thread behind that would keep a `lockstep rehearse` JVM alive. */
class ShutdownTest {

  @Test
  void closingTheWorldStopsEveryNonDaemonThreadItStarted() {
    Set<Thread> before = liveNonDaemonThreads();

    try (KubernetesWorld world = KubernetesWorld.start();
        SimulatedKubelet kubelet = SimulatedKubelet.start(world.client(), new ImageCatalog())) {
      KubernetesClient client = world.newClient();
      client.configMaps().inAnyNamespace().inform(new ResourceEventHandler<ConfigMap>() {
        @Override
        public void onAdd(ConfigMap obj) {}

        @Override
        public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {}

        @Override
        public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {}
      });
      client.resource(new ConfigMapBuilder().withNewMetadata().withName("c").withNamespace("n").endMetadata()
          .build()).create();
      assertThat(kubelet.images()).isNotNull();
    }

    await().pollInSameThread().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(names(liveNonDaemonThreads(), before))
        .isEmpty());
  }

  private static Set<Thread> liveNonDaemonThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && !t.isDaemon())
        .collect(Collectors.toSet());
  }

  private static Set<String> names(Set<Thread> threads, Set<Thread> except) {
    return threads.stream().filter(t -> !except.contains(t)).map(Thread::getName).collect(Collectors.toSet());
  }
}
