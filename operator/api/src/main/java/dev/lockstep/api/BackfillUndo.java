package dev.lockstep.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Revert of a backfill: expressions that put the rows back, or {@code none: true} to declare that
 * leaving the changed rows as they are is harmless. A backfill with neither cannot be undone, so it
 * is a point of no return for rollback.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "(has(self.none) && self.none) ? !has(self.set) && !has(self.where) : has(self.set) && has(self.where)",
    message = "set both set and where, or only none: true")
public class BackfillUndo {

  @JsonPropertyDescription("SQL SET expression that reverts the change.")
  private String set;

  @JsonPropertyDescription("SQL condition that selects the rows to revert.")
  private String where;

  @JsonPropertyDescription("True declares that the backfill needs no undo: leaving its changed rows as they are is"
      + " harmless (for example a new column the old code never reads). Rollback then goes past the step.")
  private Boolean none;

  /** Whether the backfill declares it needs no undo. */
  public boolean declaresNone() {
    return Boolean.TRUE.equals(none);
  }

  public Boolean getNone() {
    return none;
  }

  public void setNone(Boolean none) {
    this.none = none;
  }

  public String getSet() {
    return set;
  }

  public void setSet(String set) {
    this.set = set;
  }

  public String getWhere() {
    return where;
  }

  public void setWhere(String where) {
    this.where = where;
  }
}
