package dev.lockstep.world;

import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Hard kills of the operator, as {@code kill -9} of its pod: from the kill point on, the killed
 * operator makes no request that reaches the API server. A kill point is a request of the operator
 * (its client's User-Agent starts with {@link RbacRequestLog#OPERATOR_AGENT}): the server carries it
 * out and answers it, and every later request of that client is refused without being carried out.
 * The caller then discards the killed operator and starts a new one on a new client ({@code
 * LocalCluster.restartKilledOperator()}), which is told apart by its own User-Agent.
 *
 * <p>Refused requests answer 403, which clients do not retry, so that the discarded operator stops at
 * once; they are not recorded in the {@link ApiRequestLog}, since a dead process sends nothing.
 */
public final class OperatorKills {

  /**
   * A request of the operator as the server answered it, for a kill point to match.
   *
   * @param body the request body as text ("" when none): a kill point may look at the status written
   * @param code the status code of the answer
   */
  public record Call(String method, String path, String userAgent, String body, int code) {

    /** The path without its query string. */
    public String resourcePath() {
      return path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    }

    /** Answered 2xx: the server carried it out. */
    public boolean succeeded() {
      return code >= 200 && code < 300;
    }
  }

  private final Set<String> dead = ConcurrentHashMap.newKeySet();
  private final List<Kill> armed = new CopyOnWriteArrayList<>();

  OperatorKills() {}

  /**
   * Kills the operator right after the server answered its first request that matches {@code point}.
   * The kill fires once.
   */
  public Kill after(String description, Predicate<Call> point) {
    Kill kill = new Kill(description, point);
    armed.add(kill);
    return kill;
  }

  /** Kills the operator whose client sends {@code userAgent} now, wherever it is. */
  public void kill(String userAgent) {
    dead.add(userAgent);
  }

  /** Disarms every kill point that has not fired. */
  public void disarm() {
    armed.clear();
  }

  /** Whether this request comes from a killed operator: it must not reach the store. */
  boolean refuses(RecordedRequest request) {
    String agent = request.getHeader("User-Agent");
    return agent != null && dead.contains(agent);
  }

  static MockResponse refusal() {
    return new MockResponse().setResponseCode(403).setBody("{\"apiVersion\":\"v1\",\"kind\":\"Status\","
        + "\"status\":\"Failure\",\"message\":\"this operator was killed by the test world\","
        + "\"reason\":\"Forbidden\",\"code\":403}");
  }

  /** After the server answered {@code request}: fires the first armed kill point it matches. */
  void answered(RecordedRequest request, String body, MockResponse response) {
    if (armed.isEmpty()) {
      return;
    }
    String agent = request.getHeader("User-Agent");
    if (agent == null || !agent.startsWith(RbacRequestLog.OPERATOR_AGENT) || dead.contains(agent)) {
      return;
    }
    Call call = new Call(request.getMethod(), request.getPath(), agent, body, response.code());
    for (Kill kill : armed) {
      if (kill.matches(call) && armed.remove(kill)) {
        dead.add(agent);
        kill.fired(call);
        return;
      }
    }
  }

  /** One armed kill point. */
  public static final class Kill {
    private final String description;
    private final Predicate<Call> point;
    private final CountDownLatch fired = new CountDownLatch(1);
    private volatile Call at;

    private Kill(String description, Predicate<Call> point) {
      this.description = description;
      this.point = point;
    }

    /** A kill point that cannot read a call (a body it does not expect) does not match it. */
    private boolean matches(Call call) {
      try {
        return point.test(call);
      } catch (RuntimeException unreadable) {
        return false;
      }
    }

    private void fired(Call call) {
      at = call;
      fired.countDown();
    }

    /** Whether the operator reached the kill point and was killed there. */
    public boolean hasFired() {
      return fired.getCount() == 0;
    }

    /** The request after which the operator was killed; null before the kill. */
    public Call at() {
      return at;
    }

    /** Waits until the kill fired; fails with what was awaited if it did not within {@code timeout}. */
    public Call await(Duration timeout) {
      try {
        if (!fired.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new AssertionError("the operator never reached the kill point \"" + description + "\" within "
              + timeout.toSeconds() + " s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for the kill point \"" + description + "\"", e);
      }
      return at;
    }

    @Override
    public String toString() {
      return description;
    }
  }
}
