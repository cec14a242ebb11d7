package dev.lockstep.runner.backfill;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.lockstep.protocol.BackfillProgressReport;
import dev.lockstep.runner.RunnerFailure;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Serves a running backfill's progress on its pod IP ({@code GET /progress}, JSON), so the operator
 * can show it without a connection to the application's database. The backfill posts each figure
 * as it changes; a request only reads the last one.
 */
public final class ProgressEndpoint implements LiveProgress, AutoCloseable {

  private final AtomicReference<BackfillProgressReport> latest =
      new AtomicReference<>(new BackfillProgressReport(0, null, 0, null));
  private final HttpServer server;

  private ProgressEndpoint(HttpServer server) {
    this.server = server;
  }

  /**
   * Listens on {@code address}:{@code port}.
   *
   * @param address the pod IP (from the downward API), or {@code null} for every address
   * @throws RunnerFailure (bad input) when the port cannot be had
   */
  public static ProgressEndpoint start(String address, int port) {
    InetSocketAddress where = address == null || address.isBlank()
        ? new InetSocketAddress(port) : new InetSocketAddress(address, port);
    HttpServer server;
    try {
      server = HttpServer.create(where, 0);
    } catch (IOException e) {
      throw RunnerFailure.badInput("cannot serve progress on " + where + " (--progress-port): " + e.getMessage());
    }
    ProgressEndpoint endpoint = new ProgressEndpoint(server);
    server.createContext(BackfillProgressReport.PATH, endpoint::answer);
    server.start();
    return endpoint;
  }

  /** The port it listens on (for a port of 0, the one the system chose). */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void progress(long rowsDone, Long estimatedRows, double rowsPerSecond) {
    latest.set(new BackfillProgressReport(rowsDone, estimatedRows, rowsPerSecond, null));
  }

  @Override
  public void throttled(String reason) {
    latest.updateAndGet(p -> new BackfillProgressReport(p.rowsDone(), p.estimatedRows(), p.rowsPerSecond(), reason));
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = latest.get().toJson().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
