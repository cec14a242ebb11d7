package dev.lockstep.world;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A Prometheus server for tests and rehearsals: it answers instant queries ({@code GET} or {@code
 * POST /api/v1/query}) on a loopback port, in Prometheus' own response format, with whatever the
 * test sets for each query. There is no PromQL here: a query is a key, matched exactly.
 *
 * <p>A query nobody set an answer for gets an empty vector, as a real Prometheus answers for a
 * metric that has no series.
 */
public final class FakePrometheus implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String QUERY_PATH = "/api/v1/query";

  private final HttpServer server;
  private final ExecutorService handlers;
  private final Clock clock;
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final AtomicInteger total = new AtomicInteger();
  private final CountDownLatch closing = new CountDownLatch(1);
  private volatile Function<String, Answer> others = query -> Answer.vector();

  private FakePrometheus(Clock clock) throws IOException {
    this.clock = clock;
    AtomicInteger threads = new AtomicInteger();
    // One thread per request in flight: a silent answer holds its thread until close.
    this.handlers = Executors.newCachedThreadPool(r -> {
      Thread thread = new Thread(r, "fake-prometheus-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(handlers);
    server.start();
  }

  /** Starts a server on a free loopback port. */
  public static FakePrometheus start() {
    return start(Clock.systemUTC());
  }

  /** Starts a server whose samples carry timestamps from {@code clock}. */
  public static FakePrometheus start(Clock clock) {
    try {
      return new FakePrometheus(clock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the fake Prometheus on loopback", e);
    }
  }

  /** The base URL to put in a {@code prometheus.url}, e.g. {@code http://127.0.0.1:40123}. */
  public String url() {
    return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
  }

  /** From now on {@code query} returns one series with {@code value}. */
  public FakePrometheus setValue(String query, double value) {
    return answer(query, Answer.vector(value));
  }

  /** From now on {@code query} gets {@code answer}. */
  public FakePrometheus answer(String query, Answer answer) {
    answers.put(query, answer);
    return this;
  }

  /**
   * From now on every query with no answer of its own gets what {@code answers} makes of it, asked
   * anew on each request, so the value may change over time (e.g. an error rate of live traffic).
   */
  public FakePrometheus answerOthers(Function<String, Answer> answers) {
    this.others = answers;
    return this;
  }

  /** How many times {@code query} was asked. */
  public int queries(String query) {
    AtomicInteger count = counts.get(query);
    return count == null ? 0 : count.get();
  }

  /** How many queries were asked in all. */
  public int queries() {
    return total.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!QUERY_PATH.equals(exchange.getRequestURI().getPath())) {
        respond(exchange, 404, "404 page not found\n", "text/plain");
        return;
      }
      Map<String, String> form = form(exchange.getRequestURI().getRawQuery());
      if ("POST".equals(exchange.getRequestMethod())) {
        try (InputStream body = exchange.getRequestBody()) {
          form.putAll(form(new String(body.readAllBytes(), StandardCharsets.UTF_8)));
        }
      }
      String query = form.get("query");
      if (query == null || query.isEmpty()) {
        Answer missing = Answer.error(400, "bad_data", "invalid parameter \"query\": unknown position: parse error: no expression found in input");
        respond(exchange, missing.status(), missing.body(clock), "application/json");
        return;
      }
      total.incrementAndGet();
      counts.computeIfAbsent(query, q -> new AtomicInteger()).incrementAndGet();
      Answer answer = answers.get(query);
      if (answer == null) {
        answer = others.apply(query);
      }
      if (answer.silent()) {
        // Keep the connection open and say nothing, as an overloaded server would.
        closing.await();
        return;
      }
      respond(exchange, answer.status(), answer.body(clock), "application/json");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void respond(HttpExchange exchange, int status, String body, String type) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** {@code a=1&query=sum%28x%29} → its parameters, decoded as Go's ParseQuery decodes them. */
  private static Map<String, String> form(String encoded) {
    Map<String, String> parameters = new HashMap<>();
    if (encoded == null || encoded.isEmpty()) {
      return parameters;
    }
    for (String pair : encoded.split("&")) {
      int equals = pair.indexOf('=');
      String key = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      parameters.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return parameters;
  }

  /** Stops listening; requests held by a silent answer are let go, with no answer. */
  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    handlers.shutdownNow();
  }

  /** What the server answers to one query. */
  public static final class Answer {

    private final int status;
    private final Function<Clock, ObjectNode> document;

    private Answer(int status, Function<Clock, ObjectNode> document) {
      this.status = status;
      this.document = document;
    }

    /**
     * An instant vector with one series per value, labelled {@code series="0"}, {@code "1"}, …; no
     * values is an empty vector (the query matched no series).
     */
    public static Answer vector(double... values) {
      return new Answer(200, clock -> {
        ArrayNode result = JSON.createArrayNode();
        for (int i = 0; i < values.length; i++) {
          ObjectNode series = result.addObject();
          series.putObject("metric").put("series", Integer.toString(i));
          series.set("value", sample(clock, values[i]));
        }
        return success("vector", result);
      });
    }

    /** A scalar result, as {@code scalar(...)} or a plain number query returns. */
    public static Answer scalar(double value) {
      return new Answer(200, clock -> success("scalar", sample(clock, value)));
    }

    /**
     * An error, as Prometheus reports one: e.g. {@code error(400, "bad_data", "parse error ...")} for a
     * malformed query, or {@code error(503, "unavailable", ...)}.
     */
    public static Answer error(int httpStatus, String errorType, String message) {
      return new Answer(httpStatus, clock -> {
        ObjectNode document = JSON.createObjectNode();
        document.put("status", "error");
        document.put("errorType", errorType);
        document.put("error", message);
        return document;
      });
    }

    /** Accepts the request and never answers, until the server closes: for client timeouts. */
    public static Answer silence() {
      return new Answer(0, null);
    }

    boolean silent() {
      return document == null;
    }

    int status() {
      return status;
    }

    String body(Clock clock) {
      return document.apply(clock).toString();
    }

    private static ObjectNode success(String type, JsonNode result) {
      ObjectNode document = JSON.createObjectNode();
      document.put("status", "success");
      ObjectNode data = document.putObject("data");
      data.put("resultType", type);
      data.set("result", result);
      return document;
    }

    /** {@code [<unix seconds>, "<value>"]}: Prometheus writes sample values as strings. */
    private static ArrayNode sample(Clock clock, double value) {
      ArrayNode sample = JSON.createArrayNode();
      sample.add(BigDecimal.valueOf(clock.millis()).movePointLeft(3));
      sample.add(format(value));
      return sample;
    }

    /** As Go's strconv.FormatFloat(v, 'f', -1, 64), which Prometheus uses: 0.00001, 1, NaN, +Inf. */
    private static String format(double value) {
      if (Double.isNaN(value)) {
        return "NaN";
      }
      if (Double.isInfinite(value)) {
        return value > 0 ? "+Inf" : "-Inf";
      }
      return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
  }
}
