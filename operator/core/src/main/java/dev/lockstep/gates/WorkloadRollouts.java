package dev.lockstep.gates;

import dev.lockstep.api.Workload;

/** Reads how far the application's workloads have rolled out. */
public interface WorkloadRollouts {

  Rollout rollout(String namespace, Workload workload);
}
