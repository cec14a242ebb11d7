package dev.lockstep.world;

import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Every request the API server answered while recording, as method, path (query string included),
 * the client's {@code User-Agent}, the answer's status code and, for a create, the name of the object
 * it asked for: how a test counts what a component asked the API server (Jobs created, flags written),
 * 409s included.
 */
public final class ApiRequestLog {

  /**
   * One request as the server received and answered it.
   *
   * @param code the status code of the answer the client got (101 for a watch upgraded to a WebSocket)
   * @param name for a POST, {@code metadata.name} of the object in its body; otherwise null
   * @param carriedOut the store carried the request out (answered 2xx), even when an injected timeout
   *     told the client otherwise
   */
  public record Request(String method, String path, String userAgent, int code, String name, boolean carriedOut) {

    /** Made by one of the operator's clients in the test world (each incarnation's agent starts so). */
    public boolean fromOperator() {
      return userAgent != null && userAgent.startsWith(RbacRequestLog.OPERATOR_AGENT);
    }

    /** A POST to the {@code resource} collection (a create, whatever its answer). */
    public boolean creates(String resource) {
      return "POST".equals(method) && addresses(resource);
    }

    /** A PUT or PATCH of the object {@code resource/name} itself (not its status). */
    public boolean writes(String resource, String object) {
      String withoutQuery = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
      return ("PUT".equals(method) || "PATCH".equals(method)) && withoutQuery.endsWith("/" + resource + "/" + object);
    }

    /** Answered 2xx: the server carried it out. */
    public boolean succeeded() {
      return code >= 200 && code < 300;
    }

    /** A read of one object or a list, not a watch: what a controller should serve from its caches. */
    public boolean isRead() {
      return "GET".equals(method) && !path.contains("watch=true") && !path.contains("watch=1");
    }

    /**
     * Whether the path addresses {@code resource} (a plural such as {@code jobs} or {@code
     * schemamigrations}), as a collection or as one named object.
     */
    public boolean addresses(String resource) {
      String withoutQuery = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
      String[] segments = withoutQuery.split("/");
      for (int i = 0; i < segments.length; i++) {
        if (segments[i].equals(resource)) {
          // .../jobs or .../jobs/<name>, never .../jobs/<name>/status or a namespace named "jobs"
          return i == segments.length - 1 || i == segments.length - 2;
        }
      }
      return false;
    }
  }

  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile boolean recording;

  ApiRequestLog() {}

  /** Starts (or restarts) recording, forgetting what was recorded before. */
  public void start() {
    requests.clear();
    recording = true;
  }

  /** Stops recording; what was recorded stays readable. */
  public void stop() {
    recording = false;
  }

  /** The requests recorded, in the order the server answered them. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** How many recorded requests match. */
  public long count(Predicate<Request> filter) {
    return requests.stream().filter(filter).count();
  }

  void record(RecordedRequest request, String body, int code, boolean carriedOut) {
    if (recording) {
      String name = "POST".equals(request.getMethod()) ? RequestBodies.name(body) : null;
      requests.add(new Request(request.getMethod(), request.getPath(), request.getHeader("User-Agent"), code, name,
          carriedOut));
    }
  }
}
