package dev.lockstep.bench;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Passes what a runner command prints on to the benchmark's log as it comes, line by line and
 * indented under the benchmark's own lines: a backfill of a large table runs for minutes, and its
 * progress lines should show while it does.
 */
final class IndentedLog extends OutputStream {

  private static final String INDENT = "    ";

  private final PrintStream log;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();

  IndentedLog(PrintStream log) {
    this.log = log;
  }

  @Override
  public synchronized void write(int b) {
    if (b == '\n') {
      log.println(INDENT + line.toString(StandardCharsets.UTF_8));
      line.reset();
    } else if (b != '\r') {
      line.write(b);
    }
  }

  /**
   * Passes on a last line that did not end with a line break; the log itself stays open. (Not on
   * {@code flush()}: a PrintStream flushes after every write, also in the middle of a line.)
   */
  @Override
  public synchronized void close() {
    if (line.size() > 0) {
      write('\n');
    }
  }
}
