package dev.lockstep.world;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What kube-apiserver does with a {@code DELETE} of one pod: a pod bound to a node that has not
 * ended is not removed but marked — {@code deletionTimestamp} (now plus the grace period) and
 * {@code deletionGracePeriodSeconds} — so that its kubelet can stop it (SIGTERM, then SIGKILL when
 * the grace period is over) and then remove it with a grace period of 0. The grace period is the
 * request's {@code gracePeriodSeconds}, else the pod's {@code terminationGracePeriodSeconds}, else
 * 30 s; a pod not bound or already ended has none. A delete may shorten a running grace period,
 * never lengthen it. A pod with a grace period of 0 and no finalizer is removed at once.
 */
final class GracefulPodDeletion {

  /** {@code /api/v1/namespaces/<ns>/pods/<name>}, with an optional query. */
  private static final Pattern ONE_POD = Pattern.compile("/api/v1/namespaces/[^/?]+/pods/[^/?]+(\\?(.*))?");
  private static final Pattern GRACE_QUERY = Pattern.compile("(^|&)gracePeriodSeconds=(\\d+)");
  static final long DEFAULT_GRACE_SECONDS = 30;

  private GracefulPodDeletion() {}

  /** Whether the request deletes one pod. */
  static boolean deletesOnePod(String method, String path) {
    return "DELETE".equals(method) && ONE_POD.matcher(path).matches();
  }

  /** The grace period the request asks for (body's DeleteOptions, or the query), or null. */
  static Long requestedGrace(String path, String body) {
    if (!body.isBlank()) {
      try {
        JsonNode grace = Serialization.jsonMapper().readTree(body).path("gracePeriodSeconds");
        if (grace.isNumber()) {
          return grace.asLong();
        }
      } catch (IOException notJson) {
        // fall back to the query
      }
    }
    Matcher query = ONE_POD.matcher(path);
    if (query.matches() && query.group(2) != null) {
      Matcher grace = GRACE_QUERY.matcher(query.group(2));
      if (grace.find()) {
        return Long.parseLong(grace.group(2));
      }
    }
    return null;
  }

  /**
   * The pod as the delete leaves it: empty when it is to be removed now (the stock delete does it),
   * the same pod when the delete changes nothing (a longer grace than the one running), else the
   * pod marked for deletion.
   */
  static Optional<Pod> mark(Pod pod, Long requested, Instant now) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    boolean ended = "Succeeded".equals(phase) || "Failed".equals(phase);
    boolean bound = pod.getSpec() != null && pod.getSpec().getNodeName() != null;
    long grace = !bound || ended ? 0 : requested != null ? requested
        : pod.getSpec().getTerminationGracePeriodSeconds() != null ? pod.getSpec().getTerminationGracePeriodSeconds()
        : DEFAULT_GRACE_SECONDS;
    List<String> finalizers = pod.getMetadata().getFinalizers();
    boolean held = finalizers != null && !finalizers.isEmpty();
    if (grace == 0 && !held) {
      return Optional.empty();
    }
    Long running = pod.getMetadata().getDeletionGracePeriodSeconds();
    if (pod.getMetadata().getDeletionTimestamp() != null && running != null && running <= grace) {
      return Optional.of(pod);
    }
    pod.getMetadata().setDeletionGracePeriodSeconds(grace);
    pod.getMetadata().setDeletionTimestamp(now.plusSeconds(grace).truncatedTo(ChronoUnit.SECONDS).toString());
    return Optional.of(pod);
  }
}
