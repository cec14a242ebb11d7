package dev.lockstep.world.kubelet;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A pod's volumes as directories on the host: ConfigMap and Secret volumes projected key by key
 * ({@code items} honoured), {@code emptyDir} as a fresh directory, a PersistentVolumeClaim as a
 * directory that outlives the pod. ConfigMap volumes are re-projected when the ConfigMap changes,
 * as the kubelet eventually does.
 */
final class PodVolumes {

  private final KubernetesClient client;
  private final Pod pod;
  private final Path podDirectory;
  private final Path claimsDirectory;
  private final Map<String, Path> directories = new LinkedHashMap<>();

  private PodVolumes(KubernetesClient client, Pod pod, Path podDirectory, Path claimsDirectory) {
    this.client = client;
    this.pod = pod;
    this.podDirectory = podDirectory;
    this.claimsDirectory = claimsDirectory;
  }

  /**
   * Sets up every volume of the pod, or reports the first that cannot be (reason {@code
   * ContainerCreating}, message as the kubelet's FailedMount event says it).
   */
  static PodVolumes mount(KubernetesClient client, Pod pod, Path podDirectory, Path claimsDirectory)
      throws ContainerConfigException {
    PodVolumes volumes = new PodVolumes(client, pod, podDirectory, claimsDirectory);
    for (Volume volume : nullToEmpty(pod.getSpec().getVolumes())) {
      volumes.mountVolume(volume);
    }
    return volumes;
  }

  /** The host directory of a volume, or null when the pod has no such volume. */
  Path directory(String volumeName) {
    return directories.get(volumeName);
  }

  /** ConfigMaps whose contents this pod's volumes show. */
  Set<String> configMaps() {
    Set<String> names = new HashSet<>();
    for (Volume volume : nullToEmpty(pod.getSpec().getVolumes())) {
      if (volume.getConfigMap() != null) {
        names.add(volume.getConfigMap().getName());
      }
    }
    return names;
  }

  /** Re-projects the volumes that show {@code configMap}, after it changed. */
  void refresh(ConfigMap configMap) {
    for (Volume volume : nullToEmpty(pod.getSpec().getVolumes())) {
      if (volume.getConfigMap() != null
          && volume.getConfigMap().getName().equals(configMap.getMetadata().getName())) {
        try {
          project(directories.get(volume.getName()), configMapValues(configMap), volume.getConfigMap().getItems(),
              volume.getName(), "configmap");
        } catch (ContainerConfigException e) {
          // The kubelet keeps the old contents when an update cannot be projected.
        }
      }
    }
  }

  private void mountVolume(Volume volume) throws ContainerConfigException {
    String namespace = pod.getMetadata().getNamespace();
    Path directory;
    if (volume.getPersistentVolumeClaim() != null) {
      directory = claimsDirectory.resolve(namespace).resolve(volume.getPersistentVolumeClaim().getClaimName());
      createDirectories(directory);
      directories.put(volume.getName(), directory);
      return;
    }
    directory = podDirectory.resolve("volumes").resolve(volume.getName());
    createDirectories(directory);
    directories.put(volume.getName(), directory);
    if (volume.getConfigMap() != null) {
      String name = volume.getConfigMap().getName();
      ConfigMap configMap = client.configMaps().inNamespace(namespace).withName(name).get();
      if (configMap == null) {
        if (Boolean.TRUE.equals(volume.getConfigMap().getOptional())) {
          return;
        }
        throw mountFailed(volume, "configmap \"" + name + "\" not found");
      }
      project(directory, configMapValues(configMap), volume.getConfigMap().getItems(), volume.getName(), "configmap");
    } else if (volume.getSecret() != null) {
      String name = volume.getSecret().getSecretName();
      Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
      if (secret == null) {
        if (Boolean.TRUE.equals(volume.getSecret().getOptional())) {
          return;
        }
        throw mountFailed(volume, "secret \"" + name + "\" not found");
      }
      Map<String, byte[]> values = new LinkedHashMap<>();
      EnvironmentResolver.secretValues(secret)
          .forEach((k, v) -> values.put(k, v.getBytes(StandardCharsets.UTF_8)));
      project(directory, values, volume.getSecret().getItems(), volume.getName(), "secret");
    }
    // emptyDir, and kinds the simulated node does not know, are an empty directory.
  }

  private static Map<String, byte[]> configMapValues(ConfigMap configMap) {
    Map<String, byte[]> values = new LinkedHashMap<>();
    if (configMap.getData() != null) {
      configMap.getData().forEach((k, v) -> values.put(k, v.getBytes(StandardCharsets.UTF_8)));
    }
    if (configMap.getBinaryData() != null) {
      configMap.getBinaryData().forEach((k, v) -> values.put(k, Base64.getDecoder().decode(v)));
    }
    return values;
  }

  /** Writes each key as a file (or the listed items at their paths) and removes files no longer there. */
  private static void project(
      Path directory, Map<String, byte[]> values, List<KeyToPath> items, String volume, String kind)
      throws ContainerConfigException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    if (items == null || items.isEmpty()) {
      files.putAll(values);
    } else {
      for (KeyToPath item : items) {
        byte[] value = values.get(item.getKey());
        if (value == null) {
          throw new ContainerConfigException(
              ContainerConfigException.CONTAINER_CREATING,
              "MountVolume.SetUp failed for volume \"" + volume + "\" : " + kind
                  + " references non-existent config key: " + item.getKey());
        }
        files.put(item.getPath(), value);
      }
    }
    try {
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        Path target = directory.resolve(file.getKey());
        createDirectories(target.getParent());
        // Write aside, then move over: a reader sees the old file or the new one, never half of one.
        Path aside = Files.createTempFile(target.getParent(), ".projecting", null);
        Files.write(aside, file.getValue());
        Files.move(aside, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
      try (Stream<Path> existing = Files.walk(directory)) {
        for (Path path : existing.filter(Files::isRegularFile).toList()) {
          if (!files.containsKey(directory.relativize(path).toString())) {
            Files.delete(path);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot project volume " + volume, e);
    }
  }

  private static ContainerConfigException mountFailed(Volume volume, String cause) {
    return new ContainerConfigException(
        ContainerConfigException.CONTAINER_CREATING,
        "MountVolume.SetUp failed for volume \"" + volume.getName() + "\" : " + cause);
  }

  private static void createDirectories(Path directory) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + directory, e);
    }
  }

  private static <T> List<T> nullToEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
