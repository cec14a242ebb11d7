package dev.lockstep.gates;

import dev.lockstep.cache.CachedResources;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

/**
 * Where gates and guards read the application from: the workloads a migration declares and their
 * pods, as the operator's informers hold them.
 */
public record WorkloadCaches(
    CachedResources<Deployment> deployments,
    CachedResources<StatefulSet> statefulSets,
    CachedResources<Pod> pods) {}
