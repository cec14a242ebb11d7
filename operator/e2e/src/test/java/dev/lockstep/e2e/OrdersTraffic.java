package dev.lockstep.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Synthetic traffic to the sample application while a migration runs: each round creates an order on
 * one ready pod, reads it back from another, and reads one of the seeded orders, checking every answer
 * (status, and the amount read equals the amount written, whichever column it came from). Requests go
 * only to pods that are Ready, as a Service sends them. Bounded: it stops when closed, after {@link
 * #MAX_DURATION}, or after {@link #MAX_ROUNDS}.
 */
final class OrdersTraffic implements AutoCloseable {

  static final Duration MAX_DURATION = Duration.ofMinutes(5);
  static final int MAX_ROUNDS = 20_000;
  private static final Duration PAUSE = Duration.ofMillis(50);
  private static final Duration ENDPOINTS_REFRESH = Duration.ofMillis(500);
  private static final int SEEDED_ORDERS = 1000;

  private final KubernetesClient client;
  private final String namespace;
  private final String appLabel;
  private final Thread thread;
  private final Random random = new Random(42);
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger roundsWithoutEndpoints = new AtomicInteger();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private volatile boolean stopped;

  private OrdersTraffic(KubernetesClient client, String namespace, String appLabel) {
    this.client = client;
    this.namespace = namespace;
    this.appLabel = appLabel;
    this.thread = new Thread(this::run, "orders-traffic");
    thread.setDaemon(true);
  }

  /** Starts sending to the ready pods labelled {@code app=<appLabel>} in {@code namespace}. */
  static OrdersTraffic start(KubernetesClient client, String namespace, String appLabel) {
    OrdersTraffic traffic = new OrdersTraffic(client, namespace, appLabel);
    traffic.thread.start();
    return traffic;
  }

  int requests() {
    return requests.get();
  }

  /** What went wrong, one line per failed request (status and body, or the exception). */
  List<String> failures() {
    return List.copyOf(failures);
  }

  /** Rounds skipped because no pod was ready. */
  int roundsWithoutEndpoints() {
    return roundsWithoutEndpoints.get();
  }

  private void run() {
    Instant deadline = Instant.now().plus(MAX_DURATION);
    List<String> endpoints = List.of();
    Instant endpointsRead = Instant.MIN;
    for (int round = 0; round < MAX_ROUNDS && !stopped && Instant.now().isBefore(deadline); round++) {
      try {
        if (Instant.now().isAfter(endpointsRead.plus(ENDPOINTS_REFRESH))) {
          endpoints = readyPodIps();
          endpointsRead = Instant.now();
        }
        if (endpoints.isEmpty()) {
          roundsWithoutEndpoints.incrementAndGet();
        } else {
          oneRound(endpoints, round);
        }
        Thread.sleep(PAUSE.toMillis());
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        failures.add("round " + round + ": " + e);
      }
    }
  }

  private void oneRound(List<String> endpoints, int round) throws InterruptedException {
    String writer = endpoints.get(round % endpoints.size());
    String reader = endpoints.get((round + 1) % endpoints.size());
    String total = BigDecimal.valueOf(random.nextInt(100_000), 2).toPlainString();
    try {
      OrdersHttp.Answer created = OrdersHttp.create(writer, "traffic-" + round, total);
      requests.incrementAndGet();
      if (created.status() != 201) {
        failures.add("POST /orders on " + writer + ": " + created.status() + " " + created.body());
        return;
      }
      long id = created.body().path("id").asLong();
      expectOrder(reader, id, total);
      expectOrder(reader, 1 + random.nextInt(SEEDED_ORDERS), null);
    } catch (IOException e) {
      requests.incrementAndGet();
      failures.add("round " + round + " against " + writer + "/" + reader + ": " + e);
    }
  }

  private void expectOrder(String pod, long id, String total) throws IOException, InterruptedException {
    OrdersHttp.Answer read = OrdersHttp.get(pod, "/orders/" + id);
    requests.incrementAndGet();
    if (read.status() != 200) {
      failures.add("GET /orders/" + id + " on " + pod + ": " + read.status() + " " + read.body());
    } else if (total != null && new BigDecimal(read.body().path("total").asText()).compareTo(new BigDecimal(total)) != 0) {
      failures.add("GET /orders/" + id + " on " + pod + ": total " + read.body().path("total").asText()
          + " from " + read.body().path("source").asText() + ", but " + total + " was written");
    }
  }

  private List<String> readyPodIps() {
    return client.pods().inNamespace(namespace).withLabel("app", appLabel).list().getItems().stream()
        .filter(OrdersTraffic::ready)
        .map(p -> p.getStatus().getPodIP())
        .sorted()
        .toList();
  }

  static boolean ready(Pod pod) {
    return pod.getStatus() != null && pod.getStatus().getPodIP() != null && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    thread.join(Duration.ofSeconds(30).toMillis());
  }
}
