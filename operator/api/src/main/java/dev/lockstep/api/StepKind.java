package dev.lockstep.api;

/** The kinds of step; each has one handler. */
public enum StepKind {
  MIGRATE("migrate"),
  BACKFILL("backfill"),
  FLAGS("flags"),
  WAIT("wait");

  private final String field;

  StepKind(String field) {
    this.field = field;
  }

  /** The spec field that selects this kind, as users write it. */
  public String field() {
    return field;
  }

  /** The single kind a step sets, or {@code null} when it sets none or several. */
  public static StepKind of(Step step) {
    StepKind found = null;
    int count = 0;
    if (step.getMigrate() != null) {
      found = MIGRATE;
      count++;
    }
    if (step.getBackfill() != null) {
      found = BACKFILL;
      count++;
    }
    if (step.getFlags() != null) {
      found = FLAGS;
      count++;
    }
    if (step.getWaitFor() != null) {
      found = WAIT;
      count++;
    }
    return count == 1 ? found : null;
  }
}
