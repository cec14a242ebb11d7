package dev.lockstep.gates;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An HTTP server on loopback whose every answer the test scripts: a status and body, or an answer
 * that stops after the headers, or none at all.
 */
final class ScriptedEndpoint implements AutoCloseable {

  /** What the next requests get. */
  record Reply(int status, String body, Behaviour behaviour) {}

  enum Behaviour { ANSWER, STALL_AFTER_HEADERS, SILENCE }

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread thread = new Thread(r, "scripted-endpoint");
    thread.setDaemon(true);
    return thread;
  });
  private final CountDownLatch closing = new CountDownLatch(1);
  private final AtomicReference<Reply> reply = new AtomicReference<>(new Reply(404, "", Behaviour.ANSWER));
  private final AtomicInteger requests = new AtomicInteger();
  private volatile String lastPath;

  ScriptedEndpoint() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(threads);
    server.createContext("/", exchange -> {
      requests.incrementAndGet();
      lastPath = exchange.getRequestURI().getPath();
      Reply now = reply.get();
      try (exchange) {
        if (now.behaviour() == Behaviour.SILENCE) {
          closing.await();
          return;
        }
        byte[] body = now.body().getBytes(StandardCharsets.UTF_8);
        if (now.behaviour() == Behaviour.STALL_AFTER_HEADERS) {
          exchange.sendResponseHeaders(now.status(), body.length + 100L);
          exchange.getResponseBody().flush();
          closing.await();
          return;
        }
        exchange.sendResponseHeaders(now.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    server.start();
  }

  ScriptedEndpoint answer(int status, String body) {
    reply.set(new Reply(status, body, Behaviour.ANSWER));
    return this;
  }

  ScriptedEndpoint stallAfterHeaders() {
    reply.set(new Reply(200, "", Behaviour.STALL_AFTER_HEADERS));
    return this;
  }

  ScriptedEndpoint silence() {
    reply.set(new Reply(0, "", Behaviour.SILENCE));
    return this;
  }

  String host() {
    return server.getAddress().getAddress().getHostAddress();
  }

  int port() {
    return server.getAddress().getPort();
  }

  int requests() {
    return requests.get();
  }

  String lastPath() {
    return lastPath;
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    threads.shutdownNow();
  }
}
