package dev.lockstep.world.kubelet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The images the simulated node can "pull": what is in them (local directories standing for paths
 * of the image's file system) and what they run (an in-process entrypoint for Jobs, a process
 * factory for workloads). An image that is in no registration cannot be pulled.
 *
 * <p>Entrypoints and process factories match an image by repository, whatever its tag. File
 * registrations match exactly the reference given, or every tag when registered without one.
 */
public final class ImageCatalog {

  /** A local directory that stands for {@code containerPath} in an image. */
  record ImageFiles(String reference, String containerPath, Path directory) {}

  private final List<ImageFiles> files = new CopyOnWriteArrayList<>();
  private final Map<String, ContainerEntrypoint> entrypoints = new ConcurrentHashMap<>();
  private final Map<String, PodProcessFactory> workloads = new ConcurrentHashMap<>();
  private final Map<String, ContainerKill> kills = new ConcurrentHashMap<>();

  /**
   * What killing an in-process container of an image must also end. A real process's sockets close
   * when it is killed; an in-process container's thread cannot be killed, so the node abandons it
   * and this ends what it holds outside the JVM's reach (its database sessions, for the runner).
   */
  @FunctionalInterface
  public interface ContainerKill {
    /** @param env the killed container's resolved env */
    void killed(Map<String, String> env);
  }

  /**
   * Declares that {@code image} contains {@code localDirectory} at {@code containerPath}, e.g. a
   * scripts image with its Flyway scripts at {@code /migrations}.
   */
  public ImageCatalog registerFiles(String image, String containerPath, Path localDirectory) {
    if (!containerPath.startsWith("/")) {
      throw new IllegalArgumentException("containerPath must be absolute, was " + containerPath);
    }
    if (!Files.isDirectory(localDirectory)) {
      throw new IllegalArgumentException("image " + image + ": " + localDirectory + " is not a directory");
    }
    files.add(new ImageFiles(image, ContainerFileSystem.normalize(containerPath), localDirectory));
    return this;
  }

  /** Runs {@code entrypoint} in-process for containers of any tag of {@code repository}. */
  public ImageCatalog registerEntrypoint(String repository, ContainerEntrypoint entrypoint) {
    entrypoints.put(repository(repository), entrypoint);
    return this;
  }

  /** Runs {@code kill} when the node kills (SIGKILL) a container of any tag of {@code repository}. */
  public ImageCatalog onKill(String repository, ContainerKill kill) {
    kills.put(repository(repository), kill);
    return this;
  }

  Optional<ContainerKill> kill(String image) {
    return Optional.ofNullable(kills.get(repository(image)));
  }

  /** Starts {@code factory}'s process for workload containers of any tag of {@code repository}. */
  public ImageCatalog registerWorkloadImage(String repository, PodProcessFactory factory) {
    workloads.put(repository(repository), factory);
    return this;
  }

  /** Whether the node could pull {@code image}. */
  boolean has(String image) {
    return entrypoints.containsKey(repository(image))
        || workloads.containsKey(repository(image))
        || !files(image).isEmpty();
  }

  Optional<ContainerEntrypoint> entrypoint(String image) {
    return Optional.ofNullable(entrypoints.get(repository(image)));
  }

  Optional<PodProcessFactory> workload(String image) {
    return Optional.ofNullable(workloads.get(repository(image)));
  }

  List<ImageFiles> files(String image) {
    return files.stream().filter(f -> matches(f.reference(), image)).toList();
  }

  private static boolean matches(String registered, String image) {
    return registered.equals(image)
        || (registered.equals(repository(registered)) && registered.equals(repository(image)));
  }

  /** {@code registry:5000/team/app:1.2@sha256:...} → {@code registry:5000/team/app}. */
  static String repository(String image) {
    String withoutDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    int lastSlash = withoutDigest.lastIndexOf('/');
    int tagColon = withoutDigest.lastIndexOf(':');
    return tagColon > lastSlash ? withoutDigest.substring(0, tagColon) : withoutDigest;
  }
}
