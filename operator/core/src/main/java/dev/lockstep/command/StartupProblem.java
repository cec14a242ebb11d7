package dev.lockstep.command;

/**
 * Why {@code lockstep operator} cannot start, as one line that names the setting to change: the
 * command prints it instead of a stack trace (which {@code --verbose} adds) and exits non-zero.
 */
public final class StartupProblem extends RuntimeException {

  public StartupProblem(String message) {
    super(message);
  }

  public StartupProblem(String message, Throwable cause) {
    super(message, cause);
  }
}
