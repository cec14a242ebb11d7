package dev.lockstep.api;

/** Kinds of workload Lockstep watches. */
public enum WorkloadKind {
  Deployment,
  StatefulSet
}
