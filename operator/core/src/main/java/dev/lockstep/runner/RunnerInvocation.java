package dev.lockstep.runner;

import dev.lockstep.protocol.RunnerResult;

import dev.lockstep.runner.retry.FullJitterBackoff;
import dev.lockstep.runner.retry.LockRetry;
import dev.lockstep.runner.retry.ReconnectRetry;
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
    ReconnectRetry reconnect = null;
    EarlierRuns earlierRuns = new EarlierRuns();
    int exitCode;
    environment.termination().arm();
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
      reconnect =
          ReconnectRetry.withDefaults(options.maxReconnects(),
              line -> environment.out().println(CredentialFreeText.of(line)));
      reconnect.run(() -> work.run(context), () -> earlierRuns.remember(result));
      result.setOk(true);
      exitCode = 0;
    } catch (RunnerFailure failure) {
      result.setError(failure.getMessage());
      result.setInterrupted(failure.interrupted() ? Boolean.TRUE : null);
      exitCode = failure.exitCode();
    } catch (Exception unexpected) {
      // Only the exception's type: its message and its causes' may quote a JDBC URL or a login.
      LOG.debug("{} failed with {}", command, unexpected.getClass().getName());
      result.setError(SqlErrors.describe(unexpected));
      exitCode = RunnerFailure.DATABASE_WORK_FAILED;
    }
    if (lockRetry != null) {
      result.setLockRetries(lockRetry.retries());
      result.setLockWaitMillis(lockRetry.timeLost().toMillis());
    }
    if (reconnect != null && reconnect.reconnects() > 0) {
      result.setReconnects(reconnect.reconnects());
      earlierRuns.restoreInto(result);
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
    environment.termination().finished();
    return exitCode;
  }

  /**
   * What the runs cut short by a lost connection found out, kept for the result: the version the
   * command started from and the scripts it got through (each new run sees only what is left).
   */
  private static final class EarlierRuns {
    private boolean any;
    private String versionBefore;
    private final java.util.List<RunnerResult.AppliedScript> scripts = new java.util.ArrayList<>();

    void remember(RunnerResult result) {
      if (!any) {
        any = true;
        versionBefore = result.getVersionBefore();
      }
      scripts.addAll(result.getScripts());
      result.setScripts(new java.util.ArrayList<>());
    }

    void restoreInto(RunnerResult result) {
      if (any) {
        result.setVersionBefore(versionBefore);
        scripts.addAll(result.getScripts());
        result.setScripts(new java.util.ArrayList<>(scripts));
      }
    }
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
