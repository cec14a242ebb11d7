package dev.lockstep.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * {@code /metrics} (Prometheus text format), {@code /healthz} and {@code /readyz} on one port, with
 * the JDK's own HTTP server: the operator needs nothing more, and no web framework.
 */
public final class OperatorHttpServer implements AutoCloseable {

  /**
   * What the probes answer.
   *
   * @param live {@code /healthz}: 200 while true (the kubelet restarts the container otherwise)
   * @param ready {@code /readyz}: 200 while true
   * @param detail a sentence for the body
   */
  public record Probe(boolean live, boolean ready, String detail) {}

  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;

  private OperatorHttpServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Serves on {@code address} (port 0 picks a free one).
   *
   * @param registry the registry /metrics prints
   * @param probe asked on every probe request
   */
  public static OperatorHttpServer start(InetSocketAddress address, PrometheusMeterRegistry registry, Supplier<Probe> probe) {
    HttpServer server;
    try {
      server = HttpServer.create(address, 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve /metrics on " + address + ": " + e.getMessage()
          + " (choose another port with --metrics-port)", e);
    }
    server.createContext("/metrics", exchange -> answer(exchange, 200, PROMETHEUS_TEXT, registry.scrape()));
    server.createContext("/healthz", exchange -> {
      Probe p = probe.get();
      answer(exchange, p.live() ? 200 : 503, "text/plain; charset=utf-8", (p.live() ? "ok: " : "failing: ") + p.detail() + "\n");
    });
    server.createContext("/readyz", exchange -> {
      Probe p = probe.get();
      answer(exchange, p.ready() ? 200 : 503, "text/plain; charset=utf-8", (p.ready() ? "ready: " : "not ready: ") + p.detail() + "\n");
    });
    // Two threads: a scrape and a probe at the same time never wait on each other.
    ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "lockstep-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.start();
    return new OperatorHttpServer(server, executor);
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type);
      boolean head = "HEAD".equals(exchange.getRequestMethod());
      exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
