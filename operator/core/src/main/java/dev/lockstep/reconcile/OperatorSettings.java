package dev.lockstep.reconcile;

import dev.lockstep.jobs.RunnerPods;
import java.util.Set;

/**
 * How the operator runs.
 *
 * @param runnerImage the image runner Jobs use: this program's own image
 * @param serviceAccount the service account of runner pods, or {@code null} for the default
 * @param namespaces the namespaces to watch; empty for all
 * @param reconcileThreads how many migrations are reconciled at the same time
 * @param instance a name for this operator instance in Events
 * @param runnerPods resources, pull secrets and TTL of runner pods
 */
public record OperatorSettings(
    String runnerImage, String serviceAccount, Set<String> namespaces, int reconcileThreads, String instance,
    RunnerPods runnerPods) {

  public OperatorSettings(
      String runnerImage, String serviceAccount, Set<String> namespaces, int reconcileThreads, String instance) {
    this(runnerImage, serviceAccount, namespaces, reconcileThreads, instance, RunnerPods.defaults());
  }

  public static final String DEFAULT_RUNNER_IMAGE = "ghcr.io/lockstep-dev/lockstep:0.1.0";

  public static OperatorSettings defaults() {
    return new OperatorSettings(DEFAULT_RUNNER_IMAGE, null, Set.of(), 10, "lockstep");
  }
}
