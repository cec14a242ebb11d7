package dev.lockstep.cli.steps;

import dev.lockstep.api.Step;

/**
 * The built-in step kinds, for how the kubectl plugin and the rehearsal describe a step. The operator itself does not know kinds
 * (its step handlers do); a step of any other kind is drawn without kind-specific detail.
 */
public enum StepKind {
  MIGRATE("migrate"),
  BACKFILL("backfill"),
  FLAGS("flags"),
  WAIT("wait");

  private final String field;

  StepKind(String field) {
    this.field = field;
  }

  /** The spec field that selects the kind. */
  public String field() {
    return field;
  }

  /** The built-in kind {@code step} sets, or {@code null} for none, several, or another kind. */
  public static StepKind of(Step step) {
    var fields = step.kindFields().keySet();
    if (fields.size() != 1) {
      return null;
    }
    return switch (fields.iterator().next()) {
      case "migrate" -> MIGRATE;
      case "backfill" -> BACKFILL;
      case "flags" -> FLAGS;
      case "wait" -> WAIT;
      default -> null;
    };
  }
}
