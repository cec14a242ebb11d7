package dev.lockstep.gates;

/**
 * How far one workload has rolled out.
 *
 * @param workload {@code Deployment/orders}
 * @param found whether the workload exists
 * @param done whether it has finished rolling out with every replica ready and available
 * @param detail what is missing, in words ({@code 2/3 ready}) or {@code null} when done
 */
public record Rollout(String workload, boolean found, boolean done, String detail) {

  public static Rollout missing(String workload) {
    return new Rollout(workload, false, false, workload + " does not exist; create it, or remove it from spec.workloads");
  }

  /**
   * A workload has finished rolling out when the controller has seen its current spec and every
   * desired replica is updated, ready and available — the test {@code kubectl rollout status} makes.
   */
  public static Rollout of(
      String workload,
      long generation,
      Long observedGeneration,
      int desired,
      Integer updated,
      Integer ready,
      Integer available) {
    return of(workload, generation, observedGeneration, desired, null, updated, ready, available);
  }

  /**
   * As above, also knowing {@code status.replicas}, the pods of every revision: while it is more
   * than the updated ones, pods of the old revision still run the old code, so the rollout is not done.
   */
  public static Rollout of(
      String workload,
      long generation,
      Long observedGeneration,
      int desired,
      Integer total,
      Integer updated,
      Integer ready,
      Integer available) {
    int u = updated == null ? 0 : updated;
    int r = ready == null ? 0 : ready;
    int a = available == null ? 0 : available;
    if (observedGeneration == null || observedGeneration < generation) {
      return new Rollout(workload, true, false, workload + ": controller has not seen generation " + generation);
    }
    if (u < desired || r < desired || a < desired) {
      return new Rollout(
          workload,
          true,
          false,
          workload + ": " + r + "/" + desired + " ready, " + u + " updated, " + a + " available");
    }
    if (total != null && total > u) {
      return new Rollout(workload, true, false, workload + ": " + (total - u) + " of " + total
          + " pods still run the previous revision");
    }
    return new Rollout(workload, true, true, null);
  }
}
