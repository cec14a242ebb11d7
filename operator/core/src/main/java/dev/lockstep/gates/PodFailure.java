package dev.lockstep.gates;

/**
 * One ready pod that does not count as supporting a version.
 *
 * @param pod the pod's name
 * @param kind whether it said no or could not tell
 * @param message a sentence that names the pod: {@code orders-7d9f-abcde (127.0.1.3): supports 1-2,
 *     not 3}
 */
public record PodFailure(String pod, Kind kind, String message) {

  public enum Kind {
    /** The pod answered with a range that leaves the version out. */
    OUT_OF_RANGE,
    /** The pod could not be asked or gave no usable answer (unreachable, not 200, malformed). */
    NO_ANSWER,
    /**
     * The pod did not answer within the probe's timeout. Unknown, not a "no": a pod busy with
     * traffic answers late. A gate still waits for it; a guard does not count it as a breach.
     */
    UNKNOWN,
    /** The pod is terminating, may still serve requests, and did not say it supports the version. */
    TERMINATING
  }

  @Override
  public String toString() {
    return message;
  }
}
