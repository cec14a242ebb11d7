package dev.lockstep.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Risk classification of the migration. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RiskReport {

  @JsonPropertyDescription("Highest risk found: Low, Moderate or High.")
  private String level;

  @JsonPropertyDescription("What was found.")
  private List<RiskFinding> findings;

  public String getLevel() {
    return level;
  }

  public void setLevel(String level) {
    this.level = level;
  }

  public List<RiskFinding> getFindings() {
    return findings;
  }

  public void setFindings(List<RiskFinding> findings) {
    this.findings = findings;
  }
}
