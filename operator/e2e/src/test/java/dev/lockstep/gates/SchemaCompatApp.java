package dev.lockstep.gates;

import com.sun.net.httpserver.HttpServer;
import dev.lockstep.world.kubelet.PodProcess;
import dev.lockstep.world.kubelet.PodProcessContext;
import dev.lockstep.world.kubelet.PodProcessFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A workload image for tests that implements the compatibility protocol: on the pod's own address
 * and its container's first port, {@code GET /lockstep/compat} answers {@code {"schema": {"min":
 * .., "max": ..}}} with the range in the container's env var {@code SCHEMA_COMPAT} ("1-3"). A test
 * can script one pod's answer by name, to make it disagree or misbehave.
 */
final class SchemaCompatApp implements PodProcessFactory {

  /** A scripted answer. */
  record Answer(int status, String body) {}

  private final Map<String, Answer> scripted = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();
  private final Map<String, Duration> slow = new ConcurrentHashMap<>();

  /** From now on the pod answers {@code min-max}. */
  void supports(String pod, String min, String max) {
    answer(pod, 200, document(min, max));
  }

  void answer(String pod, int status, String body) {
    scripted.put(pod, new Answer(status, body));
  }

  /** The pod's next answer comes {@code delay} late, as from a pod busy with traffic; later ones on time. */
  void slowOnce(String pod, Duration delay) {
    slow.put(pod, delay);
  }

  /** How often the pod was asked. */
  int asked(String pod) {
    AtomicInteger count = asked.get(pod);
    return count == null ? 0 : count.get();
  }

  @Override
  public PodProcess start(PodProcessContext pod) throws IOException {
    int port = pod.container().getPorts().get(0).getContainerPort();
    String[] range = pod.environment().env("SCHEMA_COMPAT").split("-");
    Answer own = new Answer(200, document(range[0], range[1]));
    HttpServer server = HttpServer.create(new InetSocketAddress(pod.podIp(), port), 0);
    server.createContext("/lockstep/compat", exchange -> {
      asked.computeIfAbsent(pod.podName(), p -> new AtomicInteger()).incrementAndGet();
      Duration delay = slow.remove(pod.podName());
      if (delay != null) {
        try {
          Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      Answer answer = scripted.getOrDefault(pod.podName(), own);
      byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(answer.status(), body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    return () -> server.stop(0);
  }

  private static String document(String min, String max) {
    return "{\"schema\": {\"min\": \"" + min + "\", \"max\": \"" + max + "\"}}";
  }
}
