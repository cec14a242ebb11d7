package dev.lockstep.rehearse.traffic;

import java.net.http.HttpRequest;

/**
 * One synthetic request and how to judge its answer.
 *
 * @param operation what it does, for the figures
 * @param request what to send
 * @param judge decides whether the answer is what a user expects, and takes note of acknowledged writes
 */
public record PlannedRequest(Operation operation, HttpRequest request, Judge judge) {

  /** Judges an answer; called exactly once per request, from the HTTP client's threads. */
  public interface Judge {
    /** The failure an answer means, or {@code null} when it is what was expected. */
    FailureKind answered(int status, String body);

    /** The request got no answer (connection failure, timeout): whatever it wrote is uncertain. */
    void unanswered();
  }
}
