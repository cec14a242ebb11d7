package dev.lockstep.sql;

/** A script that cannot be run as written; the message names the file and line and says what to do. */
public final class ScriptException extends Exception {

  public ScriptException(String message) {
    super(message);
  }
}
