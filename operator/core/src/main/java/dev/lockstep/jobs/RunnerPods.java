package dev.lockstep.jobs;

import java.util.List;
import java.util.Map;

/**
 * How runner pods are shaped beyond what a step decides: resources, pull secrets, and how long a
 * finished Job stays. The chart passes its {@code runner.*} values through the operator's flags.
 *
 * @param requests resource requests of the runner container ({@code cpu}, {@code memory})
 * @param limits its limits
 * @param imagePullSecrets Secrets (in the migration's namespace) to pull the runner and scripts images
 * @param ttlSecondsAfterFinished seconds before Kubernetes deletes a finished Job, or {@code null} to keep it
 */
public record RunnerPods(
    Map<String, String> requests, Map<String, String> limits, List<String> imagePullSecrets,
    Integer ttlSecondsAfterFinished) {

  /** The chart's defaults. */
  public static RunnerPods defaults() {
    return new RunnerPods(Map.of("cpu", "100m", "memory", "256Mi"), Map.of("memory", "512Mi"), List.of(), 86_400);
  }

  public RunnerPods {
    requests = Map.copyOf(requests);
    limits = Map.copyOf(limits);
    imagePullSecrets = List.copyOf(imagePullSecrets);
    if (ttlSecondsAfterFinished != null && ttlSecondsAfterFinished < 0) {
      throw new IllegalArgumentException("ttlSecondsAfterFinished must not be negative, was " + ttlSecondsAfterFinished);
    }
  }
}
