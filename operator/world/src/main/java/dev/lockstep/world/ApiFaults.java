package dev.lockstep.world;

import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Makes the API server misbehave as an overloaded or restarting kube-apiserver does: answer errors
 * for the next requests that match (nothing carried out), time out after carrying a request out (the
 * write is stored, the client sees 504 and does not know it), and drop open watches.
 *
 * <p>Note that the fabric8 client retries 5xx and 429 answers by itself (10 times by default, with
 * exponential backoff from 100 ms), so a caller sees the error only when more requests fail than its
 * client retries; a retried create of what the timed-out request stored answers 409 AlreadyExists, a
 * retried update 409 Conflict.
 */
public final class ApiFaults {

  /** What was injected, for a test or a soak to count. */
  public enum Kind {
    /** An error answer; the request was not carried out. */
    ERROR,
    /** The request was carried out, then answered 504 Gateway Timeout. */
    TIMEOUT_AFTER_WRITE,
    /** An open watch was closed by the server. */
    DROPPED_WATCH
  }

  private final List<Fault> faults = new CopyOnWriteArrayList<>();
  private final Map<WebSocket, RecordedRequest> watches = new ConcurrentHashMap<>();
  private final Map<Kind, AtomicLong> injected = new EnumMap<>(Kind.class);

  ApiFaults() {
    for (Kind kind : Kind.values()) {
      injected.put(kind, new AtomicLong());
    }
  }

  /**
   * Answers {@code code} to the next {@code count} requests whose method is {@code method} (or any
   * method when null) and whose path, query string included, contains a match of {@code pathRegex}.
   */
  public void failNext(int count, String method, String pathRegex, int code) {
    add(count, method, pathRegex, code, false);
  }

  /**
   * Carries out the next {@code count} matching requests, then answers 504 instead of their result,
   * as kube-apiserver does when its request timeout strikes after etcd stored the write.
   */
  public void timeOutNext(int count, String method, String pathRegex) {
    add(count, method, pathRegex, 504, true);
  }

  private void add(int count, String method, String pathRegex, int code, boolean carriedOut) {
    if (count <= 0) {
      throw new IllegalArgumentException("count must be positive, was " + count);
    }
    faults.add(new Fault(method, Pattern.compile(pathRegex), code, carriedOut, new AtomicInteger(count)));
  }

  /**
   * Closes every open watch whose request path (query included) contains a match of {@code
   * pathRegex}; the clients watch again, as after a load balancer cut their connection.
   *
   * @return how many watches were dropped
   */
  public int dropWatches(String pathRegex) {
    return dropWatches(pathRegex, agent -> true);
  }

  /** Like {@link #dropWatches(String)}, for the operator's watches only. */
  public int dropOperatorWatches(String pathRegex) {
    return dropWatches(pathRegex, agent -> agent != null && agent.startsWith(RbacRequestLog.OPERATOR_AGENT));
  }

  private int dropWatches(String pathRegex, Predicate<String> userAgent) {
    Predicate<String> matches = Pattern.compile(pathRegex).asPredicate();
    int dropped = 0;
    for (Map.Entry<WebSocket, RecordedRequest> watch : watches.entrySet()) {
      if (matches.test(watch.getValue().getPath()) && userAgent.test(watch.getValue().getHeader("User-Agent"))
          && watches.remove(watch.getKey()) != null) {
        watch.getKey().close(1001, "dropped by the test world");
        dropped++;
      }
    }
    injected.get(Kind.DROPPED_WATCH).addAndGet(dropped);
    return dropped;
  }

  /** Removes every fault not yet used up. */
  public void clear() {
    faults.clear();
  }

  /** How many injected errors are still to be answered. */
  public int pending() {
    return faults.stream().mapToInt(f -> Math.max(0, f.remaining.get())).sum();
  }

  /** How many faults of this kind were injected so far. */
  public long injected(Kind kind) {
    return injected.get(kind).get();
  }

  /** The fault that claims this request, if any; each claim uses up one of its count. */
  Optional<Claim> claim(RecordedRequest request) {
    for (Iterator<Fault> it = faults.iterator(); it.hasNext(); ) {
      Fault fault = it.next();
      if (fault.matches(request) && fault.remaining.getAndDecrement() > 0) {
        if (fault.remaining.get() <= 0) {
          faults.remove(fault);
        }
        injected.get(fault.carriedOut ? Kind.TIMEOUT_AFTER_WRITE : Kind.ERROR).incrementAndGet();
        return Optional.of(new Claim(fault.carriedOut, errorResponse(fault.code)));
      }
    }
    return Optional.empty();
  }

  /** A watch's answer, wrapped so that the watch can be dropped later. */
  MockResponse tracked(RecordedRequest request, MockResponse response) {
    WebSocketListener listener = response.getWebSocketListener();
    return listener == null ? response : response.withWebSocketUpgrade(new TrackedWatch(listener, request));
  }

  /**
   * A claimed request.
   *
   * @param carriedOut the store handles the request first, and its answer is replaced by {@code answer}
   */
  record Claim(boolean carriedOut, MockResponse answer) {}

  private static MockResponse errorResponse(int code) {
    // The body is a metav1.Status, as kube-apiserver sends, so clients report a readable error.
    String reason = code == 409 ? "Conflict" : code == 504 ? "Timeout" : "InternalError";
    String body =
        "{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Failure\","
            + "\"message\":\"injected by the test world\",\"reason\":\"" + reason + "\",\"code\":"
            + code
            + "}";
    return new MockResponse().setResponseCode(code).setBody(body);
  }

  private record Fault(String method, Pattern path, int code, boolean carriedOut, AtomicInteger remaining) {
    boolean matches(RecordedRequest request) {
      return (method == null || method.equalsIgnoreCase(request.getMethod()))
          && path.matcher(request.getPath()).find();
    }
  }

  /** Passes everything to the store's watch listener and remembers the open socket. */
  private final class TrackedWatch extends WebSocketListener {
    private final WebSocketListener delegate;
    private final RecordedRequest request;

    TrackedWatch(WebSocketListener delegate, RecordedRequest request) {
      this.delegate = delegate;
      this.request = request;
    }

    @Override
    public void onBeforeAccept(WebSocket webSocket, Response response) {
      delegate.onBeforeAccept(webSocket, response);
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
      watches.put(webSocket, request);
      delegate.onOpen(webSocket, response);
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
      delegate.onMessage(webSocket, text);
    }

    @Override
    public void onMessage(WebSocket webSocket, ByteString bytes) {
      delegate.onMessage(webSocket, bytes);
    }

    @Override
    public void onMessage(WebSocket webSocket, byte[] bytes) {
      delegate.onMessage(webSocket, bytes);
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
      watches.remove(webSocket);
      delegate.onClosing(webSocket, code, reason);
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
      watches.remove(webSocket);
      delegate.onClosed(webSocket, code, reason);
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable t, Response response) {
      watches.remove(webSocket);
      delegate.onFailure(webSocket, t, response);
    }
  }
}
