package dev.lockstep.rehearse.traffic;

/** What a synthetic request does. */
public enum Operation {
  /** Writes a new record (for the sample application: {@code POST /orders}). */
  CREATE,
  /** Reads back a record this traffic wrote and checks it. */
  READ,
  /** Changes a record this traffic wrote ({@code PUT /orders/{id}}). */
  UPDATE,
  /** Reads a record that was there before the rollout (a seeded order). */
  READ_EXISTING,
  /** One call of a traffic file, checked only by its status. */
  CALL;

  public String label() {
    return switch (this) {
      case CREATE -> "create";
      case READ -> "read";
      case UPDATE -> "update";
      case READ_EXISTING -> "read-existing";
      case CALL -> "call";
    };
  }
}
