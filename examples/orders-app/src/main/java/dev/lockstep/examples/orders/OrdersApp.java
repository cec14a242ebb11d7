package dev.lockstep.examples.orders;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The orders service: creates and reads orders over HTTP while its schema moves from {@code total} to
 * {@code total_cents}, with OpenFeature flags deciding when it dual-writes and when it reads the new
 * column, and a readiness that follows the schema versions it supports. Configuration: {@link
 * AppConfig}.
 */
public final class OrdersApp implements AutoCloseable {

  /** Orders requests served at once; a small service. */
  private static final int HTTP_THREADS = 8;

  /** Threads for the probes ({@code /lockstep/compat}, {@code /ready}), apart from the orders requests. */
  private static final int PROBE_THREADS = 2;

  private final HttpServer server;
  private final ExecutorService http;
  private final ExecutorService probes;
  private final SchemaWatch schema;
  private final OrderFlags flags;
  private final ConnectionPool connections;
  private final AppLog log;

  private OrdersApp(HttpServer server, ExecutorService http, ExecutorService probes, SchemaWatch schema, OrderFlags flags,
      ConnectionPool connections, AppLog log) {
    this.server = server;
    this.http = http;
    this.probes = probes;
    this.schema = schema;
    this.flags = flags;
    this.connections = connections;
    this.log = log;
  }

  /**
   * Starts the service and returns once it listens. It is not ready until its startup check has read
   * the schema version.
   *
   * @param out where the service's log lines go
   */
  public static OrdersApp start(AppConfig config, PrintStream out) throws IOException {
    AppLog log = new AppLog(out);
    String name = "orders-app-" + config.httpAddress() + ":" + config.httpPort();
    ConnectionPool connections = ConnectionPool.create(
        name, config.databaseUrl(), config.databaseUser(), config.databasePassword());
    SchemaWatch schema = new SchemaWatch(connections, config.schemaCheckInterval(), log, name + "-schema");
    OrderFlags flags = OrderFlags.connect(config.flags(), log);
    AtomicInteger threads = new AtomicInteger();
    ExecutorService http = Executors.newFixedThreadPool(HTTP_THREADS, r -> {
      Thread thread = new Thread(r, name + "-http-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    AtomicInteger probeThreads = new AtomicInteger();
    ExecutorService probes = Executors.newFixedThreadPool(PROBE_THREADS, r -> {
      Thread thread = new Thread(r, name + "-probe-" + probeThreads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(config.httpAddress(), config.httpPort()), 0);
    } catch (IOException | RuntimeException e) {
      probes.shutdownNow();
      http.shutdownNow();
      flags.close();
      connections.close();
      throw e;
    }
    new HttpApi(new Orders(new OrderStore(connections), flags, schema), flags, schema, log).register(server, http);
    // Probes are answered on their own threads; orders requests are handed on to the request pool.
    server.setExecutor(probes);
    schema.start();
    server.start();
    log.info("listening on " + server.getAddress().getHostString() + ":" + server.getAddress().getPort());
    return new OrdersApp(server, http, probes, schema, flags, connections, log);
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
    http.shutdownNow();
    probes.shutdownNow();
    schema.close();
    flags.close();
    connections.close();
    log.info("stopped");
  }

  /** Runs the service until the process is told to stop. */
  public static void main(String[] args) throws Exception {
    AppConfig config;
    try {
      config = AppConfig.fromEnv(System::getenv, Path::of);
    } catch (IllegalArgumentException e) {
      System.err.println("orders-app: " + e.getMessage());
      System.exit(2);
      return;
    }
    OrdersApp app = start(config, System.out);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      app.close();
      stopped.countDown();
    }));
    stopped.await();
  }
}
