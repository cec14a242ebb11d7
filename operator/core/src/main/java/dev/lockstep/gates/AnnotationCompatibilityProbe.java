package dev.lockstep.gates;

import dev.lockstep.api.AnnotationCompatibility;
import dev.lockstep.api.Compatibility;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Reads the range from an annotation on the pod ({@code lockstep.dev/schema-compat: "1-3"} by
 * default). The annotation comes from the pod template, so it changes with a rollout of the
 * workload, exactly when the code in the pod changes.
 */
public final class AnnotationCompatibilityProbe implements CompatibilityProbe {

  @Override
  public CompletableFuture<Reading<SchemaRange>> ask(Pod pod, Compatibility compatibility) {
    return CompletableFuture.completedFuture(read(pod, compatibility.getAnnotation()));
  }

  /** The same answer, synchronously: reading an annotation involves no I/O. */
  public Reading<SchemaRange> read(Pod pod, AnnotationCompatibility annotation) {
    if (annotation == null) {
      return Reading.failed(Pods.describe(pod) + ": its workload declares no annotation compatibility");
    }
    String key = annotation.getKey() == null ? new AnnotationCompatibility().getKey() : annotation.getKey();
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(key);
    if (value == null) {
      return Reading.failed(Pods.describe(pod) + ": has no annotation " + key
          + "; add it to the pod template, e.g. " + key + ": \"1-3\"");
    }
    return SchemaRange.parse(value).explain(problem -> Pods.describe(pod) + ": annotation " + key + ": \""
        + value + "\" is not a schema range (" + problem + "); write one such as \"1-3\"");
  }
}
