package dev.lockstep.world.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a container's readinessProbe as the kubelet does: after {@code initialDelaySeconds}, every
 * {@code periodSeconds}, with {@code timeoutSeconds}, turning ready after {@code successThreshold}
 * successes in a row and unready after {@code failureThreshold} failures. {@code httpGet} (2xx and
 * 3xx pass) and {@code tcpSocket} probes really connect to the pod's address; {@code exec} and
 * {@code grpc} probes cannot run here and pass.
 */
final class ReadinessProber {

  private final ScheduledExecutorService scheduler;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).followRedirects(HttpClient.Redirect.NEVER).build();

  ReadinessProber(ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
  }

  /** Starts probing; {@code onChange} hears each change of readiness, starting from unready. */
  ScheduledFuture<?> start(String podIp, Container container, Consumer<Boolean> onChange) {
    Probe probe = container.getReadinessProbe();
    int period = positiveOr(probe.getPeriodSeconds(), 10);
    int successThreshold = positiveOr(probe.getSuccessThreshold(), 1);
    int failureThreshold = positiveOr(probe.getFailureThreshold(), 3);
    Duration timeout = Duration.ofSeconds(positiveOr(probe.getTimeoutSeconds(), 1));
    int initialDelay = probe.getInitialDelaySeconds() == null ? 0 : probe.getInitialDelaySeconds();
    Runnable check =
        new Runnable() {
          private boolean ready;
          private int successes;
          private int failures;

          @Override
          public void run() {
            boolean passed;
            try {
              passed = passes(podIp, container, probe, timeout);
            } catch (RuntimeException e) {
              // e.g. a named port the container does not declare: the probe fails, as in a cluster
              passed = false;
            }
            if (passed) {
              failures = 0;
              if (!ready && ++successes >= successThreshold) {
                ready = true;
                onChange.accept(true);
              }
            } else {
              successes = 0;
              if (ready && ++failures >= failureThreshold) {
                ready = false;
                onChange.accept(false);
              }
            }
          }
        };
    return scheduler.scheduleWithFixedDelay(check, initialDelay * 1000L, period * 1000L, TimeUnit.MILLISECONDS);
  }

  private boolean passes(String podIp, Container container, Probe probe, Duration timeout) {
    if (probe.getHttpGet() != null) {
      HTTPGetAction get = probe.getHttpGet();
      String host = get.getHost() == null || get.getHost().isEmpty() ? podIp : get.getHost();
      String path = get.getPath() == null ? "/" : get.getPath();
      URI uri = URI.create("http://" + host + ":" + port(get.getPort(), container) + path);
      HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
      if (get.getHttpHeaders() != null) {
        get.getHttpHeaders().forEach(h -> request.header(h.getName(), h.getValue()));
      }
      try {
        int status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        return status >= 200 && status < 400;
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    if (probe.getTcpSocket() != null) {
      String host = probe.getTcpSocket().getHost() == null ? podIp : probe.getTcpSocket().getHost();
      try (Socket socket = new Socket()) {
        socket.connect(
            new InetSocketAddress(host, port(probe.getTcpSocket().getPort(), container)), (int) timeout.toMillis());
        return true;
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  /** A probe's port: a number, or the name of one of the container's ports. */
  static int port(IntOrString port, Container container) {
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    List<ContainerPort> ports = container.getPorts() == null ? List.of() : container.getPorts();
    return ports.stream()
        .filter(p -> port.getStrVal().equals(p.getName()))
        .map(ContainerPort::getContainerPort)
        .findFirst()
        .orElseGet(() -> Integer.parseInt(port.getStrVal()));
  }

  private static int positiveOr(Integer value, int fallback) {
    return value == null || value <= 0 ? fallback : value;
  }
}
