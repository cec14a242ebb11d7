package dev.lockstep.gates;

import dev.lockstep.api.Workload;

/**
 * Asks every ready pod of a workload whether it supports a schema version. A {@code migrate} step
 * to V waits until this is satisfied for V; while later steps run, it guards the current version.
 */
public interface WorkloadCompatibility {

  /**
   * Asks now; nothing is remembered between calls, so the step engine calls it on each reconcile.
   *
   * @param version a Flyway version as written in the spec ({@code "3"}, {@code "1.10"})
   */
  CompatibilityCheck check(String namespace, Workload workload, String version);

  /**
   * As {@link #check}, for a gate before something changes: a pod that is terminating may still
   * serve requests until it is gone, so it must answer and support the version too — one that can no
   * longer answer counts as not compatible yet. (A guard, asking while steps run, does not hold that
   * silence against it: pods of every normal rollout terminate.)
   */
  default CompatibilityCheck checkBeforeChange(String namespace, Workload workload, String version) {
    return check(namespace, workload, version);
  }
}
