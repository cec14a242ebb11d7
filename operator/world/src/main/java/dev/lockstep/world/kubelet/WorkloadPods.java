package dev.lockstep.world.kubelet;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the Job, Deployment and StatefulSet controllers share: reading and making their pods. */
final class WorkloadPods {

  private WorkloadPods() {}

  /**
   * The live pods (not being deleted) in a namespace whose labels match {@code selector} and whose
   * controller is {@code owner}. Read from the API, not from a cache, so that a controller never
   * counts short and makes a pod twice; a selector of labels alone is sent along, so that the answer
   * holds the owner's pods, not every pod the namespace has had (which made each Job's reconcile cost
   * time in proportion to the whole run). The filters below still decide.
   */
  static List<Pod> owned(KubernetesClient client, HasMetadata owner, LabelSelector selector) {
    return ownedEvenTerminating(client, owner, selector).stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  /** Like {@link #owned}, with the pods being deleted (the Job controller counts those too). */
  static List<Pod> ownedEvenTerminating(KubernetesClient client, HasMetadata owner, LabelSelector selector) {
    String uid = owner.getMetadata().getUid();
    var pods = client.pods().inNamespace(owner.getMetadata().getNamespace());
    boolean labelsOnly = selector != null && selector.getMatchLabels() != null && !selector.getMatchLabels().isEmpty()
        && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty());
    return (labelsOnly ? pods.withLabels(selector.getMatchLabels()) : pods).list().getItems().stream()
        .filter(p -> matches(selector, p.getMetadata().getLabels()))
        .filter(p -> controller(p).map(r -> uid.equals(r.getUid())).orElse(false))
        .toList();
  }

  static Optional<OwnerReference> controller(HasMetadata object) {
    List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
    return refs == null
        ? Optional.empty()
        : refs.stream().filter(r -> Boolean.TRUE.equals(r.getController())).findFirst();
  }

  static OwnerReference controllerReference(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /** A pod from a template, bound to the simulated node (there is no scheduler: one node). */
  static Pod fromTemplate(
      PodTemplateSpec template, String namespace, String name, Map<String, String> extraLabels,
      OwnerReference owner) {
    Map<String, String> labels = new HashMap<>();
    Map<String, String> annotations = new HashMap<>();
    if (template.getMetadata() != null) {
      if (template.getMetadata().getLabels() != null) {
        labels.putAll(template.getMetadata().getLabels());
      }
      if (template.getMetadata().getAnnotations() != null) {
        annotations.putAll(template.getMetadata().getAnnotations());
      }
    }
    labels.putAll(extraLabels);
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(labels)
        .withAnnotations(annotations.isEmpty() ? null : annotations)
        .withOwnerReferences(owner)
        .endMetadata()
        .withSpec(new PodSpecBuilder(template.getSpec()).withNodeName(SimulatedKubelet.NODE_NAME).build())
        .build();
  }

  static boolean ready(Pod pod) {
    return readyCondition(pod).map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  /** Ready for at least {@code minReadySeconds}: what "available" means to workload controllers. */
  static boolean available(Pod pod, int minReadySeconds, Instant now) {
    if (!ready(pod)) {
      return false;
    }
    String since = readyCondition(pod).map(PodCondition::getLastTransitionTime).orElse(null);
    return minReadySeconds <= 0 || since == null
        || !Timestamps.parse(since).plusSeconds(minReadySeconds).isAfter(now);
  }

  static String phase(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Pending" : pod.getStatus().getPhase();
  }

  private static Optional<PodCondition> readyCondition(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst();
  }

  /** Label selector semantics: every matchLabels entry and every matchExpressions requirement. */
  static boolean matches(LabelSelector selector, Map<String, String> labels) {
    Map<String, String> actual = labels == null ? Map.of() : labels;
    if (selector == null) {
      return false;
    }
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> wanted : selector.getMatchLabels().entrySet()) {
        if (!wanted.getValue().equals(actual.get(wanted.getKey()))) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
        String value = actual.get(requirement.getKey());
        List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
        boolean ok = switch (requirement.getOperator()) {
          case "In" -> value != null && values.contains(value);
          case "NotIn" -> value == null || !values.contains(value);
          case "Exists" -> value != null;
          case "DoesNotExist" -> value == null;
          default -> false;
        };
        if (!ok) {
          return false;
        }
      }
    }
    return true;
  }

  /** Kubernetes omits zero counts from workload status. */
  static Integer omitZero(int count) {
    return count == 0 ? null : count;
  }
}
