package dev.lockstep.examples.orders;

import java.io.PrintStream;
import java.time.Instant;

/** The application's own log lines: what it decided and why, one line each, on its standard output. */
public final class AppLog {

  private final PrintStream out;

  public AppLog(PrintStream out) {
    this.out = out;
  }

  public void info(String message) {
    line("INFO", message);
  }

  public void warn(String message) {
    line("WARN", message);
  }

  private void line(String level, String message) {
    synchronized (out) {
      out.println(Instant.now() + " " + level + " " + message);
      out.flush();
    }
  }
}
