package dev.lockstep.gates;

import dev.lockstep.api.Compatibility;
import dev.lockstep.api.Durations;
import dev.lockstep.api.HttpCompatibility;
import io.fabric8.kubernetes.api.model.Pod;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Asks a pod over HTTP: {@code GET http://<podIP>:<port><path>}, answered with {@code {"schema":
 * {"min": "1", "max": "3"}}}. The operator calls the pod directly, not through a Service, because
 * every pod must be asked, not whichever one a Service picks.
 *
 * <p>Anything but a 200 with that document within the timeout means the pod could not tell, and a
 * pod that cannot tell does not count as supporting a version.
 */
public final class HttpCompatibilityProbe implements CompatibilityProbe {

  /** Short, because a compatibility endpoint only reports a constant, and checks run every reconcile. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  private final Duration timeout;
  private final HttpClient http;

  public HttpCompatibilityProbe() {
    this(DEFAULT_TIMEOUT);
  }

  /** @param timeout for connecting, and again for the whole answer */
  public HttpCompatibilityProbe(Duration timeout) {
    this.timeout = timeout;
    this.http = HttpClient.newBuilder()
        .connectTimeout(timeout)
        // Plain HTTP/1.1: an h2c upgrade offer only confuses simple endpoints.
        .version(HttpClient.Version.HTTP_1_1)
        // A redirect would lead away from the pod that was asked.
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  @Override
  public CompletableFuture<Reading<SchemaRange>> ask(Pod pod, Compatibility compatibility) {
    HttpCompatibility endpoint = compatibility.getHttp();
    if (endpoint == null) {
      return answered(Reading.failed(Pods.describe(pod) + ": its workload declares no http compatibility"));
    }
    String ip = Pods.ip(pod);
    if (ip == null) {
      return answered(Reading.failed(Pods.describe(pod) + ": has no pod IP to ask"));
    }
    URI uri;
    try {
      uri = URI.create("http://" + host(ip) + ":" + endpoint.getPort() + path(endpoint));
    } catch (IllegalArgumentException e) {
      return answered(Reading.failed(Pods.describe(pod) + ": cannot build the compatibility URL: " + e.getMessage()));
    }
    String who = Pods.describe(pod) + ": GET " + uri;
    String target = host(ip) + ":" + endpoint.getPort();
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET().build();
    CompletableFuture<HttpResponse<String>> exchange = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    return exchange
        .handle((response, error) -> error == null ? interpret(who, response) : unreachable(who, target, error))
        // The request timeout ends waiting for the headers; this also ends a body that never finishes.
        .completeOnTimeout(Reading.timedOut(who + ": " + late()), timeout.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((answer, ignored) -> exchange.cancel(true));
  }

  private static Reading<SchemaRange> interpret(String who, HttpResponse<String> response) {
    if (response.statusCode() != 200) {
      return Reading.failed(who + " answered " + response.statusCode() + Texts.bodyPreview(response.body()));
    }
    return SchemaRange.fromJson(response.body()).explain(problem -> who + " answered 200, but " + problem
        + Texts.bodyPreview(response.body()) + "; expected " + SchemaRange.JSON_EXAMPLE);
  }

  /**
   * Why the pod could not be asked, with the likely cause: the operator reaches pod IPs directly, which
   * works only from inside the cluster, and not through a NetworkPolicy that denies it or a mesh that
   * requires mTLS. A connected pod that answers late is unknown, not unreachable.
   */
  private Reading<SchemaRange> unreachable(String who, String target, Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof HttpConnectTimeoutException) {
      return Reading.failed(who + ": connecting to " + target + " timed out after " + Durations.format(timeout)
          + ": " + NO_PATH);
    }
    if (cause instanceof HttpTimeoutException) {
      return Reading.timedOut(who + ": " + late());
    }
    if (cause instanceof ConnectException) {
      return Reading.failed(who + ": connection refused by " + target + ": nothing listens on that port (check"
          + " compatibility.http.port and that the application serves the endpoint), or a NetworkPolicy rejects"
          + " the operator");
    }
    String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return Reading.failed(who + ": the connection to " + target + " failed (" + why + "): a service mesh that"
        + " requires mTLS refuses plain HTTP from the operator; exclude the port from the mesh or use the"
        + " annotation form");
  }

  /** The likely causes of a connection that never opens, and where to look. */
  static final String NO_PATH = "the operator must run inside the cluster, where pod IPs are reachable, and no"
      + " NetworkPolicy (a default deny) may drop its traffic to the pod's port; allow ingress from the operator's"
      + " pods, or use the annotation form (README: Compatibility gates)";

  private String late() {
    return "no answer within " + Durations.format(timeout) + " (unknown: the pod may be busy; a gate waits, a guard"
        + " does not count it as a breach)";
  }

  /** IPv6 pod IPs need brackets in a URL. */
  private static String host(String ip) {
    return ip.contains(":") ? "[" + ip + "]" : ip;
  }

  private static String path(HttpCompatibility endpoint) {
    String path = endpoint.getPath() == null || endpoint.getPath().isBlank()
        ? new HttpCompatibility().getPath()
        : endpoint.getPath();
    return path.startsWith("/") ? path : "/" + path;
  }

  private static <T> CompletableFuture<T> answered(T value) {
    return CompletableFuture.completedFuture(value);
  }
}
