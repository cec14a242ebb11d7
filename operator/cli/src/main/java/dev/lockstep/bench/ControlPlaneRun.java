package dev.lockstep.bench;

import java.util.Map;

/**
 * The figures of one control-plane run: {@code migrations} SchemaMigrations over {@code databases}
 * databases, {@code steps} steps each.
 *
 * @param reactionP50Millis from a step's Job seen Complete to the operator's next action seen
 * @param wallMillis from the first migration applied to the last one ended
 * @param requests the operator's API requests by {@code <verb> <resource>}
 * @param heapGrowthBytes the process's heap after a full GC, less the same before the operator started
 * @param cpuMillis the process's CPU time over the run (operator, API server and kubelet)
 */
public record ControlPlaneRun(
    int migrations,
    int databases,
    int steps,
    long succeeded,
    int reactions,
    double reactionP50Millis,
    double reactionP99Millis,
    double reactionMaxMillis,
    long wallMillis,
    Map<String, Long> requests,
    long heapGrowthBytes,
    long cpuMillis) {

  public double stepsPerSecond() {
    return (double) migrations * steps * 1000 / Math.max(1, wallMillis);
  }

  public long totalRequests() {
    return requests.values().stream().mapToLong(Long::longValue).sum();
  }

  public double requestsPerMigration() {
    return (double) totalRequests() / migrations;
  }

  public double cpuMillisPerMigration() {
    return (double) cpuMillis / migrations;
  }
}
