package dev.lockstep.runner.testing;

import dev.lockstep.command.LockstepCommand;
import dev.lockstep.runner.ContainerEnvironment;
import dev.lockstep.runner.TerminationSignal;
import dev.lockstep.protocol.RunnerResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs a runner command in-process as the test world's kubelet does: env as resolved from the pod
 * template, the scripts volume mounted at {@code /lockstep/scripts}, the termination log mapped to
 * a file, stdout and stderr captured.
 */
public final class RunnerHarness {

  public static final String SCRIPTS_MOUNT = "/lockstep/scripts";

  private final Path scripts;
  private final Path terminationLog;
  private final Map<String, String> env = new HashMap<>();

  public RunnerHarness(Path workDir, TestPostgres.TestDatabase database) {
    try {
      this.scripts = Files.createDirectories(workDir.resolve("scripts"));
      this.terminationLog = workDir.resolve("termination-log");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    env.put("LOCKSTEP_DB_URL", database.url());
    env.put("LOCKSTEP_DB_USERNAME", TestPostgres.USER);
    env.put("LOCKSTEP_DB_PASSWORD", TestPostgres.PASSWORD);
  }

  /** The host directory behind {@code /lockstep/scripts}. */
  public Path scripts() {
    return scripts;
  }

  /** Writes a script into the scripts volume. */
  public RunnerHarness script(String fileName, String sql) {
    try {
      Files.writeString(scripts.resolve(fileName), sql);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  public Map<String, String> env() {
    return env;
  }

  /** Runs {@code lockstep <args>} and collects what a kubelet would. */
  public Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    return run(new PrintStream(out, true, StandardCharsets.UTF_8), out, err, args);
  }

  /** Like {@link #run(String...)}, with SIGTERM sent through {@code termination}, as the kubelet sends it. */
  public Run run(TerminationSignal termination, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    return run(new PrintStream(out, true, StandardCharsets.UTF_8), out, err, termination, args);
  }

  /** Like {@link #run(String...)} with stdout going to {@code out} as it is written. */
  public Run run(PrintStream out, ByteArrayOutputStream outBytes, ByteArrayOutputStream err, String... args) {
    return run(out, outBytes, err, TerminationSignal.inProcess(), args);
  }

  private Run run(PrintStream out, ByteArrayOutputStream outBytes, ByteArrayOutputStream err,
      TerminationSignal termination, String... args) {
    try {
      Files.deleteIfExists(terminationLog);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ContainerEnvironment environment =
        ContainerEnvironment.of(
            env, this::hostPath, out, new PrintStream(err, true, StandardCharsets.UTF_8), termination);
    int exitCode = LockstepCommand.run(args, environment);
    String message = null;
    try {
      if (Files.exists(terminationLog)) {
        message = Files.readString(terminationLog);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Run(
        exitCode,
        outBytes.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8),
        message);
  }

  private Path hostPath(String containerPath) {
    if (containerPath.equals(ContainerEnvironment.TERMINATION_LOG)) {
      return terminationLog;
    }
    if (containerPath.equals(SCRIPTS_MOUNT) || containerPath.startsWith(SCRIPTS_MOUNT + "/")) {
      return scripts.resolve(containerPath.substring(SCRIPTS_MOUNT.length()).replaceFirst("^/", ""));
    }
    return Path.of(containerPath);
  }

  /** What one run left behind. */
  public record Run(int exitCode, String out, String err, String terminationMessage) {

    /** The result the operator would read from the termination message. */
    public RunnerResult result() {
      if (terminationMessage == null) {
        throw new AssertionError("no termination message; stdout: " + out + " stderr: " + err);
      }
      return RunnerResult.parse(terminationMessage);
    }

    /** Everything the Job printed, for checking that no secret leaked. */
    public String everything() {
      return out + err + (terminationMessage == null ? "" : terminationMessage);
    }
  }
}
