package dev.lockstep.rehearse.traffic;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The addresses of a workload's Ready pods, as a Service's endpoints list them: requests go only to
 * pods that pass their readiness probe.
 */
public final class ReadyPods implements Supplier<List<String>> {

  private final KubernetesClient client;
  private final String namespace;
  private final Map<String, String> selector;

  /** @param selector the workload's {@code spec.selector.matchLabels} */
  public ReadyPods(KubernetesClient client, String namespace, Map<String, String> selector) {
    this.client = client;
    this.namespace = namespace;
    this.selector = Map.copyOf(selector);
  }

  /** The addresses, sorted; empty when no pod is ready. */
  @Override
  public List<String> get() {
    return client.pods().inNamespace(namespace).withLabels(selector).list().getItems().stream()
        .filter(ReadyPods::ready)
        .map(p -> p.getStatus().getPodIP())
        .sorted()
        .toList();
  }

  public static boolean ready(Pod pod) {
    return pod.getStatus() != null && pod.getStatus().getPodIP() != null && pod.getStatus().getConditions() != null
        && pod.getMetadata().getDeletionTimestamp() == null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
