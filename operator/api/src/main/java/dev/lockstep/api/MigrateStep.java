package dev.lockstep.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Apply the Flyway scripts up to a version. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MigrateStep {

  @JsonPropertyDescription("Target Flyway version, for example \"2\" or \"2.1\".")
  @Required
  private String to;

  @JsonPropertyDescription("PostgreSQL lock_timeout for each statement; a statement that waits longer is retried with backoff.")
  @Pattern("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$")
  private String lockTimeout;

  @JsonPropertyDescription("PostgreSQL statement_timeout for each statement.")
  @Pattern("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$")
  private String statementTimeout;

  public String getTo() {
    return to;
  }

  public void setTo(String to) {
    this.to = to;
  }

  public String getLockTimeout() {
    return lockTimeout;
  }

  public void setLockTimeout(String lockTimeout) {
    this.lockTimeout = lockTimeout;
  }

  public String getStatementTimeout() {
    return statementTimeout;
  }

  public void setStatementTimeout(String statementTimeout) {
    this.statementTimeout = statementTimeout;
  }
}
