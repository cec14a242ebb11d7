package dev.lockstep.world;

import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Makes the API server answer with an error for the next requests that match, as an overloaded or
 * restarting kube-apiserver would.
 *
 * <p>Note that the fabric8 client retries 5xx and 429 answers by itself (10 times by default, with
 * exponential backoff from 100 ms), so a caller sees the error only when more requests fail than its
 * client retries.
 */
public final class ApiFaults {

  private final List<Fault> faults = new CopyOnWriteArrayList<>();

  /**
   * Answers {@code code} to the next {@code count} requests whose method is {@code method} (or any
   * method when null) and whose path, query string included, contains a match of {@code pathRegex}.
   */
  public void failNext(int count, String method, String pathRegex, int code) {
    if (count <= 0) {
      throw new IllegalArgumentException("count must be positive, was " + count);
    }
    faults.add(new Fault(method, Pattern.compile(pathRegex), code, new AtomicInteger(count)));
  }

  /** Removes every fault not yet used up. */
  public void clear() {
    faults.clear();
  }

  /** How many injected errors are still to be answered. */
  public int pending() {
    return faults.stream().mapToInt(f -> Math.max(0, f.remaining.get())).sum();
  }

  /** The error response for this request, if a fault claims it. */
  Optional<MockResponse> answer(RecordedRequest request) {
    for (Iterator<Fault> it = faults.iterator(); it.hasNext(); ) {
      Fault fault = it.next();
      if (fault.matches(request) && fault.remaining.getAndDecrement() > 0) {
        if (fault.remaining.get() <= 0) {
          faults.remove(fault);
        }
        return Optional.of(errorResponse(fault.code));
      }
    }
    return Optional.empty();
  }

  private static MockResponse errorResponse(int code) {
    // The body is a metav1.Status, as kube-apiserver sends, so clients report a readable error.
    String body =
        "{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Failure\","
            + "\"message\":\"injected by the test world\",\"reason\":\"InternalError\",\"code\":"
            + code
            + "}";
    return new MockResponse().setResponseCode(code).setBody(body);
  }

  private record Fault(String method, Pattern path, int code, AtomicInteger remaining) {
    boolean matches(RecordedRequest request) {
      return (method == null || method.equalsIgnoreCase(request.getMethod()))
          && path.matcher(request.getPath()).find();
    }
  }
}
