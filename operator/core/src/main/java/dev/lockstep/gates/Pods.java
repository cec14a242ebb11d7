package dev.lockstep.gates;

import io.fabric8.kubernetes.api.model.Pod;

/** What gates read off a pod: whether it serves traffic, and how to name it in a message. */
public final class Pods {

  private Pods() {}

  /**
   * Whether the pod receives traffic: its {@code Ready} condition is True and it is not being
   * deleted. A terminating pod may still report Ready for a moment, but Services already stop
   * sending it requests, so what it supports no longer matters.
   */
  public static boolean ready(Pod pod) {
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      return false;
    }
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return false;
    }
    return pod.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /**
   * Whether the pod is being deleted but still runs: it may serve requests until it is gone (in-flight
   * ones, and new ones until every endpoint list has dropped it), so it still runs its code.
   */
  public static boolean terminating(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return pod.getMetadata().getDeletionTimestamp() != null && !"Succeeded".equals(phase) && !"Failed".equals(phase);
  }

  /** The pod's IP, or {@code null} while it has none. */
  public static String ip(Pod pod) {
    String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
    return ip == null || ip.isBlank() ? null : ip;
  }

  /** {@code orders-7d9f-abcde (127.0.1.3)}, or just the name while the pod has no IP. */
  public static String describe(Pod pod) {
    String ip = ip(pod);
    return pod.getMetadata().getName() + (ip == null ? "" : " (" + ip + ")");
  }
}
