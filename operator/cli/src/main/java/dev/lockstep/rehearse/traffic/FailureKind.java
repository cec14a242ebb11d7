package dev.lockstep.rehearse.traffic;

/** Why a synthetic request counts as failed, as a user of the application would have felt it. */
public enum FailureKind {
  /** The application answered 5xx. */
  SERVER_ERROR,
  /** The application answered another status than the request expects (a 4xx, a 404 for an order it acknowledged). */
  UNEXPECTED_STATUS,
  /** The connection failed: refused, reset, closed before the answer. */
  CONNECTION,
  /** No answer within the request timeout. */
  TIMEOUT,
  /** A 2xx whose content is wrong: an amount read back different from the one written. */
  WRONG_ANSWER,
  /** The request was due while no pod of the workload was ready: a Service would have had no endpoint. */
  NO_READY_POD;

  /** The name used in JSON and in the table: lower case with dashes. */
  public String label() {
    return switch (this) {
      case SERVER_ERROR -> "server-error";
      case UNEXPECTED_STATUS -> "unexpected-status";
      case CONNECTION -> "connection";
      case TIMEOUT -> "timeout";
      case WRONG_ANSWER -> "wrong-answer";
      case NO_READY_POD -> "no-ready-pod";
    };
  }
}
