package dev.lockstep.runner;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * What a runner sees of the container it runs in: environment variables, the file system and its
 * output streams.
 *
 * <p>In a cluster this is the real process environment. The test world's simulated kubelet runs the
 * runner in-process and hands it the environment it resolved from the pod template ({@code env},
 * {@code secretKeyRef}) and a file system view in which each volume's mount path points at the
 * directory where the kubelet projected the volume.
 */
public final class ContainerEnvironment {

  /** Where Kubernetes reads a container's termination message from, by default. */
  public static final String TERMINATION_LOG = "/dev/termination-log";

  private final Function<String, String> env;
  private final Function<String, Path> files;
  private final PrintStream out;
  private final PrintStream err;
  private final TerminationSignal termination;

  public ContainerEnvironment(
      Function<String, String> env, Function<String, Path> files, PrintStream out, PrintStream err) {
    this(env, files, out, err, TerminationSignal.inProcess());
  }

  public ContainerEnvironment(Function<String, String> env, Function<String, Path> files, PrintStream out,
      PrintStream err, TerminationSignal termination) {
    this.env = env;
    this.files = files;
    this.out = out;
    this.err = err;
    this.termination = termination;
  }

  /** The environment of this JVM process: what a runner in a real container sees. */
  public static ContainerEnvironment ofProcess() {
    return new ContainerEnvironment(System::getenv, Path::of, System.out, System.err, TerminationSignal.ofProcess());
  }

  /** An in-process container: {@code env} as resolved from the pod template, files through {@code files}. */
  public static ContainerEnvironment of(
      Map<String, String> env, Function<String, Path> files, PrintStream out, PrintStream err) {
    return new ContainerEnvironment(env::get, files, out, err);
  }

  /** An in-process container whose SIGTERM the simulated kubelet sends through {@code termination}. */
  public static ContainerEnvironment of(Map<String, String> env, Function<String, Path> files, PrintStream out,
      PrintStream err, TerminationSignal termination) {
    return new ContainerEnvironment(env::get, files, out, err, termination);
  }

  /** SIGTERM: whether the container was asked to stop (its pod is being deleted). */
  public TerminationSignal termination() {
    return termination;
  }

  /** The value of an environment variable, or {@code null}. */
  public String env(String name) {
    return env.apply(name);
  }

  /** The host path of a path as the container sees it. */
  public Path file(String containerPath) {
    return files.apply(containerPath);
  }

  public PrintStream out() {
    return out;
  }

  public PrintStream err() {
    return err;
  }
}
