package dev.lockstep.world.kubelet;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in for a workload image: an HTTP server on the pod's own address and declared port.
 * {@code GET /ready} answers 200, or 503 while the pod's name is in {@link #failing}; {@code GET
 * /} answers the env var GREETING and the content of the file /etc/app/flags.json.
 */
final class FakeApp implements PodProcessFactory {

  final Map<String, Boolean> failing = new ConcurrentHashMap<>();

  @Override
  public PodProcess start(PodProcessContext pod) throws IOException {
    int port = pod.container().getPorts().get(0).getContainerPort();
    HttpServer server = HttpServer.create(new InetSocketAddress(pod.podIp(), port), 0);
    server.createContext("/ready", exchange -> {
      int status = failing.containsKey(pod.podName()) ? 503 : 200;
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    server.createContext("/", exchange -> {
      String flags = Files.readString(pod.environment().file("/etc/app/flags.json"));
      byte[] body = (pod.environment().env("GREETING") + " from " + pod.podName() + " " + flags)
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    pod.environment().out().println("listening on " + pod.podIp() + ":" + port);
    return () -> server.stop(0);
  }
}
