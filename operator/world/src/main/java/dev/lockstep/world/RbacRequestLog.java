package dev.lockstep.world;

import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every request one client made, as an authorizer sees it: verb, API group, resource (with its
 * subresource), namespace and name. Clients are told apart by their User-Agent; the operator's
 * clients in a {@code LocalCluster} carry {@link #OPERATOR_AGENT}. Tests compare what was recorded
 * with the chart's RBAC rules.
 */
public final class RbacRequestLog {

  /** The User-Agent of the operator's clients in the test world. */
  public static final String OPERATOR_AGENT = "lockstep-operator";

  /**
   * One request in RBAC's terms.
   *
   * @param verb get, list, watch, create, update, patch or delete; for a non-resource URL the
   *     lower-case HTTP method
   * @param group the API group, "" for the core group; {@code null} for a non-resource URL
   * @param resource the resource, with {@code /subresource} when there is one; for a non-resource
   *     URL its path
   * @param namespace the namespace, or "" for a cluster-scoped or all-namespaces request
   * @param name the object's name, or "" for a collection
   */
  public record Request(String verb, String group, String resource, String namespace, String name) {

    public boolean nonResource() {
      return group == null;
    }
  }

  private final String agent;
  private final Set<Request> requests = ConcurrentHashMap.newKeySet();

  RbacRequestLog(String agent) {
    this.agent = agent;
  }

  /** What was recorded so far, each distinct request once. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  void record(RecordedRequest request) {
    String userAgent = request.getHeader("User-Agent");
    if (userAgent == null || !userAgent.startsWith(agent) || request.getPath() == null) {
      return;
    }
    requests.add(parse(request.getMethod(), request.getPath()));
  }

  /** Parses a request the way kube-apiserver's RequestInfoFactory does, for the paths clients use. */
  static Request parse(String method, String pathAndQuery) {
    URI uri = URI.create(pathAndQuery);
    String path = uri.getPath();
    String query = uri.getQuery() == null ? "" : uri.getQuery();
    String[] parts = path.replaceAll("^/+|/+$", "").split("/");
    int i;
    String group;
    if (parts.length >= 2 && parts[0].equals("api")) {
      group = "";
      i = 2;
    } else if (parts.length >= 3 && parts[0].equals("apis")) {
      group = parts[1];
      i = 3;
    } else {
      return new Request(method.toLowerCase(), null, path, "", "");
    }
    String namespace = "";
    if (parts.length > i + 1 && parts[i].equals("namespaces")) {
      namespace = parts[i + 1];
      i += 2;
    }
    if (parts.length <= i) {
      return new Request(method.toLowerCase(), null, path, "", "");
    }
    String resource = parts[i];
    String name = parts.length > i + 1 ? parts[i + 1] : "";
    if (parts.length > i + 2) {
      resource = resource + "/" + parts[i + 2];
    }
    String verb = switch (method) {
      case "GET", "HEAD" -> name.isEmpty() ? (query.contains("watch=true") || query.contains("watch=1") ? "watch" : "list") : "get";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> name.isEmpty() ? "deletecollection" : "delete";
      default -> method.toLowerCase();
    };
    return new Request(verb, group, resource, namespace, name);
  }
}
