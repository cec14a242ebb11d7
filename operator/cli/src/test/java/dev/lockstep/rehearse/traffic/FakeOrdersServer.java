package dev.lockstep.rehearse.traffic;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sample application's HTTP API over a map, on a loopback port: enough to check what the traffic
 * sends and how it judges answers, and to make it lose or change orders on purpose.
 */
final class FakeOrdersServer implements AutoCloseable {

  private static final Pattern TOTAL = Pattern.compile("\"total\":\\s*\"([0-9.]+)\"");

  final Map<Long, BigDecimal> orders = new ConcurrentHashMap<>();
  final AtomicInteger requests = new AtomicInteger();
  volatile int failEvery;
  private final AtomicLong ids = new AtomicLong(1000);
  private final HttpServer server;

  FakeOrdersServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/orders", this::handle);
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.start();
    for (long id = 1; id <= 1000; id++) {
      orders.put(id, BigDecimal.ONE);
    }
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String path = exchange.getRequestURI().getPath();
    if (failEvery > 0 && requests.incrementAndGet() % failEvery == 0) {
      respond(exchange, 500, "{\"error\": \"injected\"}");
      return;
    }
    switch (exchange.getRequestMethod()) {
      case "POST" -> {
        long id = ids.incrementAndGet();
        orders.put(id, total(body));
        respond(exchange, 201, "{\"id\": " + id + ", \"columns\": [\"total\"]}");
      }
      case "PUT" -> {
        long id = Long.parseLong(path.substring("/orders/".length()));
        if (orders.replace(id, total(body)) == null) {
          respond(exchange, 404, "{\"error\": \"no order\"}");
        } else {
          respond(exchange, 200, "{\"id\": " + id + "}");
        }
      }
      default -> {
        BigDecimal total = orders.get(Long.parseLong(path.substring("/orders/".length())));
        if (total == null) {
          respond(exchange, 404, "{\"error\": \"no order\"}");
        } else {
          respond(exchange, 200, "{\"total\": \"" + total.toPlainString() + "\", \"source\": \"total\"}");
        }
      }
    }
  }

  private static BigDecimal total(String body) {
    Matcher m = TOTAL.matcher(body);
    if (!m.find()) {
      throw new IllegalArgumentException(body);
    }
    return new BigDecimal(m.group(1));
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
