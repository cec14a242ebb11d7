package dev.lockstep.jobs;

import dev.lockstep.cache.CachedResources;
import dev.lockstep.gates.Pods;
import dev.lockstep.protocol.BackfillProgressReport;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks a backfill's runner pod how far it has got: {@code GET http://<podIP>:<progress port>/progress},
 * the pod and its port read from the informer cache, the way compatibility probes ask application
 * pods. The operator needs no connection to the application's database, nor its password. Any
 * failure means "unknown", never a failed step: progress is a courtesy.
 */
public final class HttpBackfillProgress implements BackfillProgress {

  /** Short: the runner answers from memory, and the observation waits for it. */
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  private static final Logger LOG = LoggerFactory.getLogger(HttpBackfillProgress.class);

  private final CachedResources<Pod> pods;
  private final HttpClient http;

  /** @param pods the runner Jobs' pods */
  public HttpBackfillProgress(CachedResources<Pod> pods) {
    this.pods = pods;
    this.http = HttpClient.newBuilder()
        .connectTimeout(TIMEOUT)
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  @Override
  public Optional<String> describe(String namespace, String job) {
    Optional<Pod> pod = pods.list(namespace, p -> ofJob(p, job) && "Running".equals(phase(p))).stream()
        .max(Comparator.comparing(p -> String.valueOf(p.getMetadata().getCreationTimestamp())));
    String ip = pod.map(Pods::ip).orElse(null);
    Integer port = pod.flatMap(HttpBackfillProgress::progressPort).orElse(null);
    if (ip == null || port == null) {
      return Optional.empty();
    }
    // IPv6 pod IPs need brackets in a URL.
    String host = ip.contains(":") ? "[" + ip + "]" : ip;
    URI uri = URI.create("http://" + host + ":" + port + BackfillProgressReport.PATH);
    try {
      HttpResponse<String> response = http.send(
          HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json").GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        LOG.debug("No backfill progress from {}: HTTP {}", uri, response.statusCode());
        return Optional.empty();
      }
      return Optional.of(BackfillProgressReport.parse(response.body()).describe());
    } catch (IOException | IllegalArgumentException e) {
      // Not listening yet (the runner is starting), or already gone.
      LOG.debug("No backfill progress from {}: {}", uri, e.toString());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** The runner container's port named {@code progress}, as the Job spec declares it. */
  static Optional<Integer> progressPort(Pod pod) {
    if (pod.getSpec() == null || pod.getSpec().getContainers() == null) {
      return Optional.empty();
    }
    return pod.getSpec().getContainers().stream()
        .filter(c -> RunnerJobFactory.RUNNER_CONTAINER.equals(c.getName()))
        .map(Container::getPorts)
        .filter(ports -> ports != null)
        .flatMap(ports -> ports.stream())
        .filter(port -> RunnerJobFactory.PROGRESS_PORT_NAME.equals(port.getName()))
        .map(ContainerPort::getContainerPort)
        .findFirst();
  }

  private static boolean ofJob(Pod pod, String job) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels != null && (job.equals(labels.get(KubernetesJobLauncher.JOB_NAME_LABEL))
        || job.equals(labels.get(KubernetesJobLauncher.LEGACY_JOB_NAME_LABEL)));
  }

  private static String phase(Pod pod) {
    return pod.getStatus() == null ? null : pod.getStatus().getPhase();
  }
}
