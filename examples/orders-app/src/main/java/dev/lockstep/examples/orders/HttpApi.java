package dev.lockstep.examples.orders;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The HTTP endpoints:
 *
 * <pre>
 * POST /orders            {"customer": "ada", "total": "12.50"}  →  201 {"id": 1001, "columns": ["total", "total_cents"]}
 * GET  /orders/{id}       →  200 {"id": 1001, "customer": "ada", "total": "12.50", "source": "total_cents"}
 * PUT  /orders/{id}       {"total": "13.00"}  →  200 {"id": 1001}; 404 when there is no such order
 * GET  /lockstep/compat   →  200 {"schema": {"min": "1", "max": "3"}}
 * GET  /ready             →  200, or 503 until the startup check passed and while the schema version is
 *                            outside the supported range; the body says why
 * </pre>
 */
final class HttpApi {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private final Orders orders;
  private final OrderFlags flags;
  private final SchemaWatch schema;
  private final AppLog log;
  private final AtomicReference<String> lastReadiness = new AtomicReference<>();

  HttpApi(Orders orders, OrderFlags flags, SchemaWatch schema, AppLog log) {
    this.orders = orders;
    this.flags = flags;
    this.schema = schema;
    this.log = log;
  }

  /**
   * The server's own executor runs {@code /lockstep/compat} and {@code /ready}, which answer from
   * memory at once; {@code /orders} is handed to {@code requests}, whose threads wait on the
   * database. So a probe never queues behind traffic: under load, a slow orders request delays other
   * orders, not the operator's compatibility check.
   */
  void register(HttpServer server, Executor requests) {
    server.createContext("/orders", exchange -> requests.execute(() -> {
      try {
        handle(exchange, () -> orders(exchange));
      } catch (IOException e) {
        log.warn(exchange.getRequestMethod() + " " + exchange.getRequestURI() + ": could not answer: " + e);
        exchange.close();
      }
    }));
    server.createContext("/lockstep/compat", exchange -> handle(exchange, this::compat));
    server.createContext("/ready", exchange -> handle(exchange, this::ready));
    server.createContext("/", exchange -> handle(exchange, () -> error(404, "no such endpoint")));
  }

  private record Response(int status, JsonNode body) {}

  private interface Endpoint {
    Response answer() throws IOException, SQLException;
  }

  private void handle(HttpExchange exchange, Endpoint endpoint) throws IOException {
    Response response;
    try {
      response = endpoint.answer();
    } catch (IllegalArgumentException | IOException e) {
      response = error(400, e.getMessage());
    } catch (UnsupportedSchemaException e) {
      response = error(503, e.getMessage());
    } catch (MissingAmountException | SQLException e) {
      response = error(500, e.getMessage());
    } catch (RuntimeException e) {
      log.warn(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " failed: " + e);
      response = error(500, e.toString());
    }
    byte[] body = JSON.writeValueAsBytes(response.body());
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(response.status(), body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private Response orders(HttpExchange exchange) throws IOException, SQLException {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    if (path.equals("/orders") && method.equals("POST")) {
      return create(exchange);
    }
    if (path.startsWith("/orders/") && method.equals("GET")) {
      return find(path.substring("/orders/".length()));
    }
    if (path.startsWith("/orders/") && method.equals("PUT")) {
      return update(exchange, path.substring("/orders/".length()));
    }
    return error(405, method + " " + path + " is not an endpoint; POST /orders, GET or PUT /orders/{id}");
  }

  private Response create(HttpExchange exchange) throws IOException, SQLException {
    JsonNode request;
    try (InputStream body = exchange.getRequestBody()) {
      request = JSON.readTree(body);
    }
    String customer = request == null ? "" : request.path("customer").asText("");
    JsonNode total = request == null ? null : request.get("total");
    if (customer.isBlank() || total == null || !(total.isNumber() || total.isTextual())) {
      throw new IllegalArgumentException("send {\"customer\": \"...\", \"total\": \"12.50\"}");
    }
    CreatedOrder created = orders.create(customer, amount(total));
    ObjectNode body = JSON.createObjectNode().put("id", created.id());
    created.columns().forEach(body.putArray("columns")::add);
    return new Response(201, body);
  }

  private Response update(HttpExchange exchange, String id) throws IOException, SQLException {
    long orderId = orderId(id);
    JsonNode request;
    try (InputStream body = exchange.getRequestBody()) {
      request = JSON.readTree(body);
    }
    JsonNode total = request == null ? null : request.get("total");
    if (total == null || !(total.isNumber() || total.isTextual())) {
      throw new IllegalArgumentException("send {\"total\": \"12.50\"}");
    }
    if (!orders.update(orderId, amount(total))) {
      return error(404, "no order " + orderId);
    }
    return new Response(200, JSON.createObjectNode().put("id", orderId));
  }

  private static BigDecimal amount(JsonNode total) {
    try {
      return total.isNumber() ? total.decimalValue() : new BigDecimal(total.asText());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("total \"" + total.asText() + "\" is not an amount");
    }
  }

  private static long orderId(String id) {
    try {
      return Long.parseLong(id);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("order id \"" + id + "\" is not a number");
    }
  }

  private Response find(String id) throws SQLException {
    long orderId = orderId(id);
    Optional<StoredOrder> order = orders.find(orderId);
    if (order.isEmpty()) {
      return error(404, "no order " + orderId);
    }
    StoredOrder found = order.get();
    return new Response(200, JSON.createObjectNode()
        .put("id", found.id())
        .put("customer", found.customer())
        .put("total", found.total().toPlainString())
        .put("source", found.source()));
  }

  /** The compatibility probe protocol: the schema versions this instance supports right now. */
  private Response compat() {
    SchemaRange range = flags.supportedVersions();
    ObjectNode body = JSON.createObjectNode();
    body.putObject("schema").put("min", range.min().toString()).put("max", range.max().toString());
    return new Response(200, body);
  }

  private Response ready() {
    SchemaRange supported = flags.supportedVersions();
    SchemaReading reading = schema.current();
    Readiness readiness = Readiness.of(reading, supported);
    String summary = (readiness.ready() ? "ready: " : "not ready: ") + readiness.reason();
    if (!summary.equals(lastReadiness.getAndSet(summary))) {
      log.info(summary);
    }
    ObjectNode body = JSON.createObjectNode().put("ready", readiness.ready()).put("reason", readiness.reason());
    body.put("schemaVersion", reading.version().map(SchemaVersion::toString).orElse(null));
    body.putObject("supported").put("min", supported.min().toString()).put("max", supported.max().toString());
    return new Response(readiness.ready() ? 200 : 503, body);
  }

  private static Response error(int status, String message) {
    return new Response(status, JSON.createObjectNode().put("error", message));
  }
}
