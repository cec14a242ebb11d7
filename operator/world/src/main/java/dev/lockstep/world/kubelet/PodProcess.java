package dev.lockstep.world.kubelet;

/** A long-running process the kubelet started for one container of a workload pod. */
public interface PodProcess extends AutoCloseable {

  /** Stops the process; called when the pod is deleted or the kubelet closes. */
  @Override
  void close();
}
