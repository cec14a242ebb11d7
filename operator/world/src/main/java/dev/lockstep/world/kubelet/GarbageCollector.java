package dev.lockstep.world.kubelet;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes' garbage collector, for the owners the operator's objects have: a Job, a Lease or a
 * runner pod whose owners (a SchemaMigration, a Job) are all gone is deleted, in the background, as
 * {@code kubectl delete} does by default. An owner held by a finalizer still exists, so what it owns
 * stays until it is really gone.
 *
 * <p>Like Kubernetes' own, it works from the controllers' caches where it can: the pods and Jobs are
 * the kubelet's informers' (listing every runner pod through the API each second cost time in
 * proportion to everything a long run had created). An owner is confirmed by a GET whenever the
 * cache does not show it, so a lagging cache can delay a collection but never cause a wrong one.
 */
final class GarbageCollector {

  /** The owner kinds collected for; dependents with an owner of any other kind are left alone. */
  private static final Set<String> OWNER_KINDS = Set.of("SchemaMigration", "Job");

  private final KubernetesClient client;

  GarbageCollector(KubernetesClient client) {
    this.client = client;
  }

  /** One pass over the Jobs and pods (as the informers hold them) and the Leases. */
  void sweep(Collection<Job> jobs, Collection<Pod> pods) {
    Map<String, Boolean> owners = new HashMap<>();
    // An owner Job the cache holds exists; one it does not is asked for.
    jobs.forEach(job -> owners.put(job.getMetadata().getUid(), true));
    jobs.forEach(job -> collectIfOrphaned(job, owners));
    client.leases().inAnyNamespace().list().getItems().forEach(lease -> collectIfOrphaned(lease, owners));
    pods.stream()
        .filter(pod -> pod.getMetadata().getLabels() != null
            && pod.getMetadata().getLabels().containsKey(JobController.JOB_NAME))
        .forEach(pod -> collectIfOrphaned(pod, owners));
  }

  private void collectIfOrphaned(HasMetadata dependent, Map<String, Boolean> owners) {
    List<OwnerReference> references = dependent.getMetadata().getOwnerReferences();
    if (references == null || references.isEmpty() || dependent.getMetadata().getDeletionTimestamp() != null
        || !references.stream().allMatch(r -> OWNER_KINDS.contains(r.getKind()))) {
      return;
    }
    String namespace = dependent.getMetadata().getNamespace();
    boolean orphaned = references.stream()
        .noneMatch(r -> owners.computeIfAbsent(r.getUid(), uid -> exists(namespace, r)));
    if (orphaned) {
      client.resource(dependent).delete();
    }
  }

  private boolean exists(String namespace, OwnerReference reference) {
    String apiVersion = reference.getApiVersion();
    int slash = apiVersion.indexOf('/');
    ResourceDefinitionContext type = new ResourceDefinitionContext.Builder()
        .withGroup(slash < 0 ? "" : apiVersion.substring(0, slash))
        .withVersion(slash < 0 ? apiVersion : apiVersion.substring(slash + 1))
        .withKind(reference.getKind())
        .withPlural(reference.getKind().toLowerCase(Locale.ROOT) + "s")
        .withNamespaced(true)
        .build();
    GenericKubernetesResource owner =
        client.genericKubernetesResources(type).inNamespace(namespace).withName(reference.getName()).get();
    return owner != null && reference.getUid().equals(owner.getMetadata().getUid());
  }
}
