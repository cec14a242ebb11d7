package dev.lockstep.world.kubelet;

import dev.lockstep.runner.ContainerEnvironment;
import io.fabric8.kubernetes.api.model.Container;
import java.util.List;
import java.util.Map;

/**
 * What a workload container's process gets from the kubelet.
 *
 * @param namespace the pod's namespace
 * @param podName the pod's name
 * @param podIp the pod's own loopback address (127.0.1.x): listen on it, on the ports the container
 *     declares, and probes and the operator reach you exactly as in a cluster
 * @param labels the pod's labels
 * @param annotations the pod's annotations
 * @param container the container's spec (image, args, ports, probes)
 * @param args the container's {@code args}, with {@code $(VAR)} references expanded
 * @param environment the resolved env, the file view (ConfigMap volumes kept in sync) and the
 *     container's log streams
 */
public record PodProcessContext(
    String namespace,
    String podName,
    String podIp,
    Map<String, String> labels,
    Map<String, String> annotations,
    Container container,
    List<String> args,
    ContainerEnvironment environment) {}
