package dev.lockstep.gates;

import dev.lockstep.api.Compatibility;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.concurrent.CompletableFuture;

/** Asks each pod the way its workload's {@code compatibility} says: {@code http} or {@code annotation}. */
public final class CompatibilityProbes implements CompatibilityProbe {

  private final CompatibilityProbe http;
  private final CompatibilityProbe annotation;

  /** The real probes, with the default HTTP timeout. */
  public CompatibilityProbes() {
    this(new HttpCompatibilityProbe(), new AnnotationCompatibilityProbe());
  }

  public CompatibilityProbes(CompatibilityProbe http, CompatibilityProbe annotation) {
    this.http = http;
    this.annotation = annotation;
  }

  @Override
  public CompletableFuture<Reading<SchemaRange>> ask(Pod pod, Compatibility compatibility) {
    if (compatibility != null && compatibility.getHttp() != null) {
      return http.ask(pod, compatibility);
    }
    if (compatibility != null && compatibility.getAnnotation() != null) {
      return annotation.ask(pod, compatibility);
    }
    return CompletableFuture.completedFuture(
        Reading.failed(Pods.describe(pod) + ": its workload declares no compatibility, so there is nothing to ask"));
  }
}
