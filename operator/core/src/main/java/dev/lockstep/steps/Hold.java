package dev.lockstep.steps;

import java.util.List;

/**
 * One thing a waiting step waits for, as typed data: which gate, on what, held by which pods, and a
 * sentence for people. The engine records holds in status ({@code steps[].waitingFor}), emits one
 * Event when a hold appears, and names them when a step's timeout ends it; it never reads the
 * sentence back.
 *
 * @param gate the kind of gate
 * @param subject what the gate waits on: {@code Deployment/orders}, a query, a Job; the same subject
 *     under the same gate is the same hold from one look to the next
 * @param pods the pods that hold it, sorted; empty when no pod is at fault (a soak, a query)
 * @param message what holds it, naming the subject: {@code Deployment/orders: 1 of 2 ready pods does
 *     not support schema version 3: orders-abc (127.0.1.3): supports 1-2, not 3}
 */
public record Hold(Gate gate, String subject, List<String> pods, String message) {

  public Hold {
    pods = pods == null ? List.of() : List.copyOf(pods);
  }

  public Hold(Gate gate, String subject, String message) {
    this(gate, subject, List.of(), message);
  }

  /** The gates a step can wait at; {@link #field} is how status and Events name it. */
  public enum Gate {
    /** A migrate step's implicit gate, or {@code wait.compatible}: pods that do not support a version. */
    COMPATIBILITY("compatibility"),
    /** {@code wait.podsReady}: a workload still rolling out. */
    PODS_READY("podsReady"),
    /** {@code wait.duration}: the soak time not yet over. */
    DURATION("duration"),
    /** {@code wait.prometheus}: a value not yet within bounds for its window. */
    PROMETHEUS("prometheus"),
    /** {@code approval: required}: nobody approved the step yet. */
    APPROVAL("approval");

    private final String field;

    Gate(String field) {
      this.field = field;
    }

    public String field() {
      return field;
    }
  }
}
