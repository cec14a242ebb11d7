package dev.lockstep.rehearse;

import dev.lockstep.world.cluster.SampleApps;

import dev.lockstep.world.cluster.Manifests;

import dev.lockstep.rehearse.traffic.OrdersPlan;
import dev.lockstep.rehearse.traffic.TrafficFile;
import dev.lockstep.rehearse.traffic.TrafficPlan;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The workload a rehearsal's traffic goes to and what it sends: the sample application's own traffic
 * when a workload of the manifests runs its image, else the calls of a traffic file.
 *
 * @param selector the workload's pod labels, to find its ready pods
 */
public record TrafficTarget(String description, String namespace, Map<String, String> selector, TrafficPlan plan) {

  /**
   * Finds the target among the manifests.
   *
   * @param trafficFile {@code null} for the sample application
   * @throws IllegalArgumentException when there is nothing to send traffic to, saying what to give
   */
  public static TrafficTarget find(Manifests manifests, Path trafficFile, Duration timeout) {
    if (trafficFile != null) {
      TrafficFile file = TrafficFile.load(trafficFile, timeout);
      var ref = file.workload();
      for (HasMetadata resource : manifests.resources()) {
        if (resource.getKind().equals(ref.kind()) && resource.getMetadata().getName().equals(ref.name())
            && resource.getMetadata().getNamespace().equals(ref.namespace())) {
          return new TrafficTarget(ref.kind() + " " + ref.namespace() + "/" + ref.name(), ref.namespace(),
              labels(selector(resource), trafficFile.toString()), file);
        }
      }
      throw new IllegalArgumentException("--traffic-file " + trafficFile + ": workload " + ref.kind() + " "
          + ref.namespace() + "/" + ref.name() + " is not among the manifests");
    }
    for (HasMetadata resource : manifests.resources()) {
      PodTemplateSpec template = resource instanceof Deployment d ? d.getSpec().getTemplate()
          : resource instanceof StatefulSet s ? s.getSpec().getTemplate() : null;
      if (template != null && template.getSpec().getContainers().stream().anyMatch(c -> runsOrdersApp(c.getImage()))) {
        return new TrafficTarget(resource.getKind() + " " + resource.getMetadata().getNamespace() + "/"
            + resource.getMetadata().getName(), resource.getMetadata().getNamespace(),
            labels(selector(resource), resource.getKind() + " " + resource.getMetadata().getName()),
            new OrdersPlan(timeout));
      }
    }
    throw new IllegalArgumentException("--traffic: no workload in the manifests runs the sample application ("
        + SampleApps.ORDERS_APP + "); list the HTTP calls to send in a file and give it with --traffic-file");
  }

  private static boolean runsOrdersApp(String image) {
    return image != null && (image.equals(SampleApps.ORDERS_APP) || image.startsWith(SampleApps.ORDERS_APP + ":")
        || image.startsWith(SampleApps.ORDERS_APP + "@"));
  }

  private static LabelSelector selector(HasMetadata workload) {
    return workload instanceof Deployment d ? d.getSpec().getSelector()
        : workload instanceof StatefulSet s ? s.getSpec().getSelector() : null;
  }

  private static Map<String, String> labels(LabelSelector selector, String where) {
    if (selector == null || selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty()) {
      throw new IllegalArgumentException(where + ": the workload has no spec.selector.matchLabels to find its pods by");
    }
    return selector.getMatchLabels();
  }
}
