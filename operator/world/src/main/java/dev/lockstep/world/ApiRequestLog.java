package dev.lockstep.world;

import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Every request the API server answered while recording, as method, path (query string included)
 * and the client's {@code User-Agent}: how a test counts what a component asked the API server.
 */
public final class ApiRequestLog {

  /** One request as the server received it. */
  public record Request(String method, String path, String userAgent) {

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

  void record(RecordedRequest request) {
    if (recording) {
      requests.add(new Request(request.getMethod(), request.getPath(), request.getHeader("User-Agent")));
    }
  }
}
