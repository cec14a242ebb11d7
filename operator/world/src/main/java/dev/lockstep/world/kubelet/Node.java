package dev.lockstep.world.kubelet;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;

/**
 * What every pod on the simulated node shares: the API client, the image catalog, the address
 * pool, the logs, the faults, the readiness prober, and the threads containers run on.
 */
record Node(
    KubernetesClient client,
    ImageCatalog images,
    PodAddresses addresses,
    PodLogs logs,
    KubeletFaults faults,
    ReadinessProber prober,
    EnvironmentResolver resolver,
    Path root,
    ExecutorService containers) {

  /** Pods' working directories (volumes, container roots). */
  Path podsDirectory() {
    return root.resolve("pods");
  }

  /** Directories standing for PersistentVolumeClaims; they outlive pods. */
  Path claimsDirectory() {
    return root.resolve("claims");
  }
}
