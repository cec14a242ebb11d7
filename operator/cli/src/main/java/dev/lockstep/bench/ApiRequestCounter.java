package dev.lockstep.bench;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.net.URI;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the API requests a client sends, by verb and resource ({@code list jobs}, {@code patch
 * schemamigrations/status}), as an interceptor of the operator's own client — what an API server's
 * audit log would show for the operator's service account.
 */
final class ApiRequestCounter implements Interceptor {

  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    counts.computeIfAbsent(key(request.method(), request.uri()), k -> new LongAdder()).increment();
  }

  /** Requests so far, by {@code <verb> <resource>}, sorted. */
  Map<String, Long> snapshot() {
    Map<String, Long> copy = new TreeMap<>();
    counts.forEach((key, count) -> copy.put(key, count.sum()));
    return copy;
  }

  /** All requests so far. */
  long total() {
    return counts.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /**
   * {@code <verb> <resource>} as Kubernetes names them: {@code get}, {@code list} and {@code watch}
   * for GET (one object, a collection, a watch), {@code create}, {@code update}, {@code patch},
   * {@code delete}; the resource with its subresource, e.g. {@code schemamigrations/status}.
   */
  static String key(String method, URI uri) {
    String[] parts = uri.getPath().replaceAll("^/+|/+$", "").split("/");
    // /api/v1/... or /apis/<group>/<version>/...: skip to what follows the version
    int i = parts.length > 0 && parts[0].equals("api") ? 2 : 3;
    if (i < parts.length && parts[i].equals("namespaces") && i + 2 < parts.length) {
      i += 2; // a namespaced resource: namespaces/<ns>/<resource>...
    }
    String resource = i < parts.length ? parts[i] : "(root)";
    boolean named = i + 1 < parts.length;
    String sub = i + 2 < parts.length ? "/" + parts[i + 2] : "";
    String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
    String verb = switch (method.toUpperCase(java.util.Locale.ROOT)) {
      case "GET" -> query.contains("watch=true") ? "watch" : named ? "get" : "list";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> "delete";
      default -> method.toLowerCase(java.util.Locale.ROOT);
    };
    return verb + " " + resource + sub;
  }
}
