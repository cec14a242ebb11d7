package dev.lockstep.runner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What every database session of a runner is set to before it does any work.
 *
 * <p>{@code lock_timeout} is the point of it all: DDL that waits for a lock makes every later query
 * on the table queue behind it, so a statement that cannot get its lock quickly gives up, lets the
 * queue drain, and is retried later.
 *
 * @param applicationName shown in {@code pg_stat_activity}, so that a DBA sees who holds what
 * @param statementTimeout null to keep the server's or role's setting
 */
public record SessionSettings(String applicationName, Duration lockTimeout, Duration statementTimeout) {

  /** The SET statements, in the order they run. */
  public List<String> statements() {
    List<String> statements = new ArrayList<>();
    statements.add("SET application_name = " + Identifiers.literal(applicationName));
    statements.add("SET lock_timeout = '" + lockTimeout.toMillis() + "ms'");
    if (statementTimeout != null) {
      statements.add("SET statement_timeout = '" + statementTimeout.toMillis() + "ms'");
    }
    return statements;
  }

  /** The same statements as one script, for Flyway's {@code initSql}. */
  public String initSql() {
    return String.join(";\n", statements()) + ";";
  }
}
