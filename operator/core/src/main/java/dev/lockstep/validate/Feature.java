package dev.lockstep.validate;

/**
 * Parts of the API whose behaviour may not be available in this build. The validator refuses a
 * resource that uses a feature the operator was not given, rather than silently ignoring it.
 */
public enum Feature {
  MIGRATE_STEPS("migrate steps"),
  WAIT_STEPS("wait steps"),
  BACKFILL_STEPS("backfill steps"),
  FLAG_STEPS("flags steps and spec.flagSource"),
  WAIT_COMPATIBLE("wait.compatible"),
  WAIT_PROMETHEUS("wait.prometheus"),
  COMPATIBILITY_GATES("workloads[].compatibility"),
  GUARDS("spec.guards"),
  APPROVALS("approval: required"),
  ROLLBACK("rollback of completed steps"),
  MANUAL_ROLLBACK_POLICY("rollback.policy: Manual"),
  DEPENDS_ON("spec.dependsOn");

  private final String field;

  Feature(String field) {
    this.field = field;
  }

  /** How users write it in the spec. */
  public String field() {
    return field;
  }
}
