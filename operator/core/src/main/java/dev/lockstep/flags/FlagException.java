package dev.lockstep.flags;

/**
 * A flag change that cannot be made or did not take effect: a missing flag source, a definition flagd
 * rejects, a targeting rule lockstep does not own, a flip that does not read back. Retrying does not
 * help; the message says what to fix. Kubernetes API errors are not wrapped: they stay
 * {@code KubernetesClientException}s, which a reconcile may retry.
 */
public class FlagException extends RuntimeException {

  public FlagException(String message) {
    super(message);
  }

  public FlagException(String message, Throwable cause) {
    super(message, cause);
  }
}
