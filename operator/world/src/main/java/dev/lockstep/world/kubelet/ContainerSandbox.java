package dev.lockstep.world.kubelet;

import dev.lockstep.runner.ContainerEnvironment;
import dev.lockstep.runner.TerminationSignal;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One container as the node runs it: its resolved env, expanded command and args, file view
 * (volume mounts, termination message file, image files, private root) and log stream.
 */
final class ContainerSandbox {

  /** Kubernetes keeps at most this many bytes of a termination message. */
  static final int MAX_MESSAGE_BYTES = 4096;
  /** With FallbackToLogsOnError, the message is the log's last 80 lines, at most 2048 bytes. */
  private static final int FALLBACK_LINES = 80;
  private static final int FALLBACK_BYTES = 2048;

  private final String namespace;
  private final String pod;
  private final Container container;
  private final Map<String, String> env;
  private final ContainerFileSystem files;
  private final Path terminationFile;
  private final PodLogs logs;
  private final PrintStream log;
  private final TerminationSignal termination = TerminationSignal.inProcess();

  private ContainerSandbox(
      String namespace, String pod, Container container, Map<String, String> env,
      ContainerFileSystem files, Path terminationFile, PodLogs logs) {
    this.namespace = namespace;
    this.pod = pod;
    this.container = container;
    this.env = env;
    this.files = files;
    this.terminationFile = terminationFile;
    this.logs = logs;
    this.log = logs.stream(namespace, pod, container.getName());
  }

  static ContainerSandbox create(
      String namespace, String pod, Container container, Map<String, String> env,
      PodVolumes volumes, ImageCatalog images, Path containerDirectory, PodLogs logs) {
    try {
      Path root = Files.createDirectories(containerDirectory.resolve("root"));
      Files.createDirectories(root.resolve("tmp"));
      Path terminationFile = containerDirectory.resolve("termination-log");
      Files.deleteIfExists(terminationFile);
      Files.createFile(terminationFile);
      ContainerFileSystem files = new ContainerFileSystem(root);
      List<VolumeMount> mounts =
          container.getVolumeMounts() == null ? List.of() : container.getVolumeMounts();
      for (VolumeMount mount : mounts) {
        Path volume = volumes.directory(mount.getName());
        if (volume != null) {
          String subPath = mount.getSubPath();
          files.mount(mount.getMountPath(), subPath == null || subPath.isEmpty() ? volume : volume.resolve(subPath));
        }
      }
      files.mount(terminationMessagePath(container), terminationFile);
      for (ImageCatalog.ImageFiles imageFiles : images.files(container.getImage())) {
        files.imageFiles(imageFiles.containerPath(), imageFiles.directory());
      }
      return new ContainerSandbox(namespace, pod, container, env, files, terminationFile, logs);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare container " + container.getName(), e);
    }
  }

  Container container() {
    return container;
  }

  List<String> command() {
    return expand(container.getCommand());
  }

  List<String> args() {
    return expand(container.getArgs());
  }

  ContainerFileSystem files() {
    return files;
  }

  PrintStream log() {
    return log;
  }

  ContainerEnvironment environment() {
    return ContainerEnvironment.of(env, files, log, log, termination);
  }

  /** The container's SIGTERM: the kubelet requests it when the pod is deleted gracefully. */
  TerminationSignal termination() {
    return termination;
  }

  /** The env the container was started with, for what the node does when it kills the container. */
  Map<String, String> env() {
    return env;
  }

  /**
   * The termination message Kubernetes would report: the file's content (at most 4096 bytes), or
   * with {@code FallbackToLogsOnError} and an empty file after a failure, the tail of the log.
   */
  String terminationMessage(int exitCode) {
    try {
      byte[] bytes = Files.readAllBytes(terminationFile);
      if (bytes.length > MAX_MESSAGE_BYTES) {
        bytes = Arrays.copyOf(bytes, MAX_MESSAGE_BYTES);
      }
      String message = new String(bytes, StandardCharsets.UTF_8);
      if (message.isEmpty() && exitCode != 0
          && "FallbackToLogsOnError".equals(container.getTerminationMessagePolicy())) {
        return logs.tail(namespace, pod, container.getName(), FALLBACK_LINES, FALLBACK_BYTES);
      }
      return message;
    } catch (IOException e) {
      return "";
    }
  }

  /** Replaces what the container wrote as its termination message (a planned fault). */
  void overrideTerminationMessage(String message) {
    try {
      Files.writeString(terminationFile, message);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String terminationMessagePath(Container container) {
    String path = container.getTerminationMessagePath();
    return path == null || path.isEmpty() ? ContainerEnvironment.TERMINATION_LOG : path;
  }

  private List<String> expand(List<String> values) {
    return values == null ? List.of() : values.stream().map(v -> EnvironmentResolver.expand(v, env::get)).toList();
  }
}
