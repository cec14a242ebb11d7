package dev.lockstep.world.kubelet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * A container's view of its file system: each path it uses is mapped to a host path. Volume mounts
 * come first (they hide what lies below them in the image), then the termination message file,
 * then the directories the image catalog registered for the image; everything else lands in a
 * directory private to the container.
 */
final class ContainerFileSystem implements Function<String, Path> {

  private record Mount(String containerPath, Path hostPath) {}

  private final List<Mount> mounts = new ArrayList<>();
  private final List<Mount> imageFiles = new ArrayList<>();
  private final Path privateRoot;

  ContainerFileSystem(Path privateRoot) {
    this.privateRoot = privateRoot;
  }

  ContainerFileSystem mount(String containerPath, Path hostPath) {
    mounts.add(new Mount(normalize(containerPath), hostPath));
    mounts.sort(Comparator.comparingInt((Mount m) -> m.containerPath().length()).reversed());
    return this;
  }

  ContainerFileSystem imageFiles(String containerPath, Path hostPath) {
    imageFiles.add(new Mount(normalize(containerPath), hostPath));
    imageFiles.sort(Comparator.comparingInt((Mount m) -> m.containerPath().length()).reversed());
    return this;
  }

  @Override
  public Path apply(String containerPath) {
    String path = normalize(containerPath);
    for (List<Mount> layer : List.of(mounts, imageFiles)) {
      for (Mount mount : layer) {
        if (path.equals(mount.containerPath())) {
          return mount.hostPath();
        }
        String prefix = mount.containerPath().equals("/") ? "/" : mount.containerPath() + "/";
        if (path.startsWith(prefix)) {
          return mount.hostPath().resolve(path.substring(prefix.length()));
        }
      }
    }
    return privateRoot.resolve(path.substring(1));
  }

  /** An absolute, normalised container path ({@code /migrations/.} → {@code /migrations}). */
  static String normalize(String containerPath) {
    String normalized = Path.of("/").resolve(containerPath).normalize().toString();
    return normalized.isEmpty() ? "/" : normalized;
  }
}
