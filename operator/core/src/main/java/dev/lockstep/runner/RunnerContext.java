package dev.lockstep.runner;

import dev.lockstep.protocol.RunnerResult;

import dev.lockstep.runner.retry.LockRetry;

/** What a runner command works with once its input has been read. */
public final class RunnerContext {

  private final ContainerEnvironment environment;
  private final DatabaseCredentials credentials;
  private final SessionSettings session;
  private final DatabaseConnections connections;
  private final LockRetry lockRetry;
  private final RunnerResult result;

  public RunnerContext(
      ContainerEnvironment environment,
      DatabaseCredentials credentials,
      SessionSettings session,
      DatabaseConnections connections,
      LockRetry lockRetry,
      RunnerResult result) {
    this.environment = environment;
    this.credentials = credentials;
    this.session = session;
    this.connections = connections;
    this.lockRetry = lockRetry;
    this.result = result;
  }

  public ContainerEnvironment environment() {
    return environment;
  }

  public DatabaseCredentials credentials() {
    return credentials;
  }

  public SessionSettings session() {
    return session;
  }

  public DatabaseConnections connections() {
    return connections;
  }

  public LockRetry lockRetry() {
    return lockRetry;
  }

  /** The result being built; the command fills in its own fields. */
  public RunnerResult result() {
    return result;
  }

  /** Writes one line to the Job's log, any JDBC URL in it without credentials. */
  public void report(String line) {
    environment.out().println(CredentialFreeText.of(line));
  }

  /** Adds a warning to the result and to the log, any JDBC URL in it without credentials. */
  public void warn(String warning) {
    String safe = CredentialFreeText.of(warning);
    result.getWarnings().add(safe);
    report("warning: " + safe);
  }
}
