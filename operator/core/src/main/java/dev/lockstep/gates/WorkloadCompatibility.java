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
}
