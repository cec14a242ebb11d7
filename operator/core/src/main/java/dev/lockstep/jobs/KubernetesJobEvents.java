package dev.lockstep.jobs;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * Lists one Job's Events through the API. The operator keeps no Event informer (it would hold every
 * Event of every namespace in memory for a question asked rarely), so this is one list request of
 * the namespace's Events, made only for a Job that has had no pod for a while.
 */
public final class KubernetesJobEvents implements JobEvents {

  private final KubernetesClient client;

  public KubernetesJobEvents(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public Optional<String> failedCreate(String namespace, String job) {
    // Filtered here rather than by a field selector, which not every API server (nor the test world's)
    // applies to involvedObject fields; Events expire after an hour, so a namespace holds few.
    return client.v1().events().inNamespace(namespace)
        .list().getItems().stream()
        .filter(e -> e.getInvolvedObject() != null && job.equals(e.getInvolvedObject().getName())
            && "Job".equals(e.getInvolvedObject().getKind()) && "FailedCreate".equals(e.getReason()))
        .max(Comparator.comparing(KubernetesJobEvents::when))
        .map(Event::getMessage)
        .filter(Objects::nonNull);
  }

  private static String when(Event event) {
    if (event.getLastTimestamp() != null) {
      return event.getLastTimestamp();
    }
    return String.valueOf(event.getMetadata().getCreationTimestamp());
  }
}
