package dev.lockstep.world;

import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.CustomResourceAware;
import java.util.List;

/**
 * Tells the CRUD store that the built-in kinds the kubelet and the workload controllers write have a
 * {@code /status} subresource, as in a real cluster.
 *
 * <p>Out of the box the mock server knows status subresources only for registered CRDs, so an update
 * of a Job or a Deployment would overwrite its status and a status update would not be told apart
 * from a spec change. Registered this way, a write to the main resource keeps the stored status and
 * bumps {@code metadata.generation} only when the spec changes, and a write to {@code /status}
 * changes nothing else: the behaviour controllers rely on.
 */
final class BuiltInStatusSubresources {

  private record Kind(String group, String version, String plural, String kind) {}

  private static final List<Kind> KINDS =
      List.of(
          new Kind(null, "v1", "pods", "Pod"),
          new Kind("batch", "v1", "jobs", "Job"),
          new Kind("apps", "v1", "deployments", "Deployment"),
          new Kind("apps", "v1", "statefulsets", "StatefulSet"),
          new Kind("apps", "v1", "replicasets", "ReplicaSet"));

  private BuiltInStatusSubresources() {}

  static void register(CustomResourceAware store) {
    for (Kind kind : KINDS) {
      store.expectCustomResource(
          new CustomResourceDefinitionContext.Builder()
              .withGroup(kind.group())
              .withVersion(kind.version())
              .withPlural(kind.plural())
              .withKind(kind.kind())
              .withScope("Namespaced")
              .withStatusSubresource(true)
              .build());
    }
  }
}
