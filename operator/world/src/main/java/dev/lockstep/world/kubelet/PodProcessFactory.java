package dev.lockstep.world.kubelet;

/**
 * Starts the process of a workload image (a Deployment's or StatefulSet's container), e.g. the
 * sample application listening on the pod's own address.
 */
@FunctionalInterface
public interface PodProcessFactory {

  /**
   * Starts the container's process and returns once it is started (not necessarily ready: readiness
   * is what the container's readinessProbe says).
   */
  PodProcess start(PodProcessContext context) throws Exception;
}
