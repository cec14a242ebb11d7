package dev.lockstep.bench;

/** Why a benchmark run stopped before it had all its figures, as one line. */
public final class BenchmarkFailure extends RuntimeException {

  public BenchmarkFailure(String message) {
    super(message);
  }

  public BenchmarkFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
