package dev.lockstep.validate;

/**
 * Parts of the API outside the step kinds whose behaviour may not be available in this build. The
 * validator refuses a resource that uses a feature the operator was not given, rather than silently
 * ignoring it. Step kinds are not features: an operator runs the kinds it has handlers for, and
 * refuses a step of any other kind.
 */
public enum Feature {
  FLAG_SOURCE("spec.flagSource"),
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
