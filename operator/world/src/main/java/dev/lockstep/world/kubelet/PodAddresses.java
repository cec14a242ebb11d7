package dev.lockstep.world.kubelet;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gives each pod its own address in 127.0.1.1–127.0.255.254. Linux routes all of 127.0.0.0/8 to
 * the loopback interface, so a pod's process can listen on its address and port exactly as its
 * spec says, and probes reach {@code <podIP>:<port>} as in a cluster.
 */
final class PodAddresses {

  /** 127.0.1.1 to 127.0.255.254: host numbers 1 to 254 in each of 255 subnets. */
  private static final int CAPACITY = 255 * 254;

  /**
   * Where this process starts looking: a subnet chosen from its process id, so that two test worlds
   * in two JVMs on one machine (parallel builds) do not hand out the same address and port.
   */
  private static final int FIRST = (int) (ProcessHandle.current().pid() % 200) * 254;

  private final Set<String> inUse = ConcurrentHashMap.newKeySet();

  /** The next free address after this process's first. */
  synchronized String allocate() {
    for (int n = 0; n < CAPACITY; n++) {
      int i = (FIRST + n) % CAPACITY;
      String address = "127.0." + (1 + i / 254) + "." + (1 + i % 254);
      if (inUse.add(address)) {
        return address;
      }
    }
    throw new IllegalStateException("all " + CAPACITY + " pod addresses are in use");
  }

  /** Marks an address that a pod in the API already has (after a kubelet restart). */
  void reserve(String address) {
    if (address != null) {
      inUse.add(address);
    }
  }

  void release(String address) {
    if (address != null) {
      inUse.remove(address);
    }
  }
}
