package dev.lockstep.runner;

import dev.lockstep.protocol.RunnerResult;

import dev.lockstep.runner.retry.FullJitterBackoff;
import dev.lockstep.runner.retry.LockRetry;
import dev.lockstep.runner.retry.Sleeper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one runner command the way the Job protocol wants it: input read and checked first, the work
 * done, and then — whatever happened — the JSON result written to the result file, a summary on
 * stdout and, on failure, exactly one line {@code lockstep <command>: <error>} on stderr.
 */
public final class RunnerInvocation {

  /** The command's own work. */
  @FunctionalInterface
  public interface Work {
    void run(RunnerContext context) throws Exception;
  }

  private static final Logger LOG = LoggerFactory.getLogger(RunnerInvocation.class);

  private RunnerInvocation() {}

  /** Runs {@code work} and returns the exit code: 0 ok, 1 the database work failed, 2 bad input. */
  public static int run(String command, ContainerEnvironment environment, RunnerOptions options, Work work) {
    long started = System.nanoTime();
    RunnerResult result = new RunnerResult();
    result.setCommand(command);
    DatabaseCredentials credentials = null;
    LockRetry lockRetry = null;
    int exitCode;
    try {
      SessionSettings session = options.session("lockstep " + command);
      lockRetry =
          new LockRetry(
              options.maxLockRetries(),
              FullJitterBackoff.withDefaults(),
              Sleeper.THREAD,
              line -> environment.out().println(CredentialFreeText.of(line)));
      credentials = DatabaseCredentials.fromEnvironment(environment);
      RunnerContext context =
          new RunnerContext(
              environment,
              credentials,
              session,
              new JdbcConnections(credentials, session),
              lockRetry,
              result);
      work.run(context);
      result.setOk(true);
      exitCode = 0;
    } catch (RunnerFailure failure) {
      result.setError(failure.getMessage());
      exitCode = failure.exitCode();
    } catch (Exception unexpected) {
      LOG.debug("{} failed", command, unexpected);
      result.setError(SqlErrors.describe(unexpected));
      exitCode = RunnerFailure.DATABASE_WORK_FAILED;
    }
    if (lockRetry != null) {
      result.setLockRetries(lockRetry.retries());
      result.setLockWaitMillis(lockRetry.timeLost().toMillis());
    }
    result.setMillis(Duration.ofNanos(System.nanoTime() - started).toMillis());
    if (result.getError() != null) {
      // Built from safe parts; a JDBC URL a driver or Flyway quoted is the one part that may carry
      // credentials, so it loses them — whether or not the credentials could be read.
      result.setError(CredentialFreeText.of(SqlErrors.oneLine(result.getError())));
    }
    environment.out().println(Summary.of(result));
    writeResult(command, environment, options, result);
    if (!result.isOk()) {
      environment.err().println("lockstep " + command + ": " + result.getError());
    }
    return exitCode;
  }

  private static void writeResult(
      String command, ContainerEnvironment environment, RunnerOptions options, RunnerResult result) {
    try {
      Path file = options.resultFile(environment);
      Files.writeString(file, result.toTerminationMessage(), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      environment.err().println(
          "lockstep " + command + ": could not write the result file: " + SqlErrors.oneLine(e.toString()));
    }
  }
}
