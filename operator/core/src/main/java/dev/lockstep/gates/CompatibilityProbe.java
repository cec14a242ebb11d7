package dev.lockstep.gates;

import dev.lockstep.api.Compatibility;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.concurrent.CompletableFuture;

/**
 * Asks one pod which schema versions it supports, the way its workload's {@code compatibility}
 * says: over HTTP, or from an annotation.
 *
 * <p>The answer is asynchronous so that a workload's pods are all asked at once, and a slow pod
 * delays a check by one timeout, not one timeout per pod.
 */
public interface CompatibilityProbe {

  /**
   * The range the pod reports, or why it could not be read, as a sentence that names the pod. The
   * future always completes normally: an unreachable pod is an answer, not an error.
   */
  CompletableFuture<Reading<SchemaRange>> ask(Pod pod, Compatibility compatibility);
}
