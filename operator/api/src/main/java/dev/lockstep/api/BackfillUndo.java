package dev.lockstep.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Revert of a backfill. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackfillUndo {

  @JsonPropertyDescription("SQL SET expression that reverts the change.")
  @Required
  private String set;

  @JsonPropertyDescription("SQL condition that selects the rows to revert.")
  @Required
  private String where;

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
