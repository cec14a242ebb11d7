package dev.lockstep.runner;

import dev.lockstep.api.Durations;
import java.nio.file.Path;
import java.time.Duration;
import org.flywaydb.core.api.MigrationVersion;
import picocli.CommandLine.Option;

/**
 * The options every runner command takes (a picocli mixin).
 *
 * <p>Values are read as text and parsed here rather than by picocli's converters: a bad value must
 * end like every other failure of a Job, with a result in the termination message and one error
 * line, which picocli's usage error does not give.
 */
public final class RunnerOptions {

  /** Overrides the result file when {@code --result-file} is not given. */
  public static final String RESULT_FILE_VARIABLE = "LOCKSTEP_RESULT_FILE";

  @Option(
      names = "--lock-timeout",
      paramLabel = "DURATION",
      defaultValue = "2s",
      description = "Longest wait for a lock before a statement gives up and is retried (default: ${DEFAULT-VALUE}).")
  String lockTimeout;

  @Option(
      names = "--statement-timeout",
      paramLabel = "DURATION",
      description = "Longest run of one statement (default: the server's setting).")
  String statementTimeout;

  @Option(
      names = "--max-lock-retries",
      paramLabel = "N",
      defaultValue = "10",
      description = "Retries after lock conflicts, per script or batch (default: ${DEFAULT-VALUE}).")
  String maxLockRetries;

  @Option(
      names = "--max-reconnects",
      paramLabel = "N",
      defaultValue = "6",
      description = "Runs again on a new connection after the database connection was lost, in all"
          + " (default: ${DEFAULT-VALUE}).")
  String maxReconnects;

  @Option(
      names = "--result-file",
      paramLabel = "PATH",
      description = "Where to write the JSON result (default: $" + RESULT_FILE_VARIABLE + ", else "
          + ContainerEnvironment.TERMINATION_LOG + ").")
  String resultFile;

  /** The result file as the host sees it; never fails, so that even bad input gets a result. */
  public Path resultFile(ContainerEnvironment environment) {
    String path = resultFile;
    if (path == null || path.isBlank()) {
      path = environment.env(RESULT_FILE_VARIABLE);
    }
    if (path == null || path.isBlank()) {
      path = ContainerEnvironment.TERMINATION_LOG;
    }
    return environment.file(path);
  }

  /**
   * The session settings these options ask for.
   *
   * @throws RunnerFailure (bad input) naming the option that is not a valid duration
   */
  public SessionSettings session(String applicationName) {
    Duration lock = duration(lockTimeout, "--lock-timeout");
    if (lock.isZero()) {
      throw RunnerFailure.badInput(
          "--lock-timeout is 0, which would let DDL queue traffic behind it without limit; give a duration such as 2s");
    }
    Duration statement = statementTimeout == null ? null : duration(statementTimeout, "--statement-timeout");
    return new SessionSettings(applicationName, lock, statement);
  }

  /**
   * A Flyway version given on the command line ({@code 2}, {@code 1.1}); versions compare as Flyway
   * compares them.
   *
   * @throws RunnerFailure (bad input) naming {@code option} when it is missing or not a version
   */
  public static MigrationVersion version(String text, String option) {
    if (text == null || text.isBlank()) {
      throw RunnerFailure.badInput(option + " is required; give a Flyway version such as 2 or 1.1");
    }
    try {
      return MigrationVersion.fromVersion(text.trim());
    } catch (RuntimeException e) {
      throw RunnerFailure.badInput(option + " is \"" + text + "\", which is not a Flyway version; give one such as 2 or 1.1");
    }
  }

  /** @throws RunnerFailure (bad input) naming {@code option} when {@code text} is not a duration */
  public static Duration duration(String text, String option) {
    try {
      return Durations.parse(text, option);
    } catch (IllegalArgumentException e) {
      throw RunnerFailure.badInput(e.getMessage());
    }
  }

  /** @throws RunnerFailure (bad input) when the option is not a whole number >= 0 */
  public int maxLockRetries() {
    try {
      int value = Integer.parseInt(maxLockRetries.trim());
      if (value >= 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw RunnerFailure.badInput(
        "--max-lock-retries is \"" + maxLockRetries + "\"; give a whole number such as 10 (0 = never retry)");
  }

  public int maxReconnects() {
    try {
      int value = Integer.parseInt(maxReconnects.trim());
      if (value >= 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw RunnerFailure.badInput(
        "--max-reconnects is \"" + maxReconnects + "\"; give a whole number such as 6 (0 = never reconnect)");
  }
}
