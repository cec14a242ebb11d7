package dev.lockstep.lint;

/** Input the linter cannot judge: a script Flyway cannot run, a manifest that does not add up. */
public final class LintException extends Exception {

  public LintException(String message) {
    super(message);
  }

  public LintException(String message, Throwable cause) {
    super(message, cause);
  }
}
