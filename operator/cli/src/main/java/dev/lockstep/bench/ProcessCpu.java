package dev.lockstep.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU time from Linux's {@code /proc}, for {@link ShadowLintBenchmark}: unlike wall-clock time, other
 * processes competing for the cores do not inflate it. Zero where {@code /proc} is not there.
 */
final class ProcessCpu {

  /** Clock ticks per second of {@code /proc/<pid>/stat}; 100 on Linux x86-64. */
  private static final double TICKS = 100.0;

  private ProcessCpu() {}

  /** This process's CPU time, with that of the children it waited for (initdb, pg_ctl). */
  static double ownSeconds() {
    return statSeconds(Path.of("/proc/self/stat"), true);
  }

  /**
   * The CPU time of the PostgreSQL server listening on {@code port}: its postmaster, with the backends
   * that ended (reaped by it), and the backends still running.
   */
  static double serverSeconds(int port) {
    try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
      List<Path> pids = processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList();
      String postmaster = null;
      for (Path pid : pids) {
        String command = read(pid.resolve("cmdline")).replace('\0', ' ');
        if (command.contains("postgres") && command.contains(" -p " + port + " ")) {
          postmaster = pid.getFileName().toString();
        }
      }
      if (postmaster == null) {
        return 0;
      }
      double seconds = statSeconds(Path.of("/proc", postmaster, "stat"), true);
      for (Path pid : pids) {
        String[] stat = fields(read(pid.resolve("stat")));
        if (stat.length > 3 && stat[3].equals(postmaster)) {
          seconds += statSeconds(pid.resolve("stat"), false);
        }
      }
      return seconds;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static double statSeconds(Path stat, boolean withChildren) {
    String[] fields = fields(read(stat));
    if (fields.length < 17) {
      return 0;
    }
    long ticks = Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
    if (withChildren) {
      ticks += Long.parseLong(fields[15]) + Long.parseLong(fields[16]);
    }
    return ticks / TICKS;
  }

  /** The fields of a {@code stat} line; the command name, in parentheses, may hold spaces. */
  private static String[] fields(String stat) {
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      return new String[0];
    }
    String[] rest = stat.substring(close + 2).trim().split("\\s+");
    String[] fields = new String[rest.length + 2];
    fields[0] = stat.substring(0, stat.indexOf(' '));
    fields[1] = stat.substring(stat.indexOf('('), close + 1);
    System.arraycopy(rest, 0, fields, 2, rest.length);
    return fields;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
