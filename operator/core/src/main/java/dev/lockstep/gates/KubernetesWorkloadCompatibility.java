package dev.lockstep.gates;

import dev.lockstep.api.Compatibility;
import dev.lockstep.api.Workload;
import dev.lockstep.api.WorkloadKind;
import dev.lockstep.gates.CompatibilityCheck.Verdict;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Finds a workload's ready pods in the informers' caches and asks each of them.
 *
 * <p>"Its pods" are the pods its {@code spec.selector} selects, as a Service in front of it would
 * select them — so during a rollout, pods of the old ReplicaSet are asked too: they still serve
 * traffic, so they must support the version as well.
 */
public final class KubernetesWorkloadCompatibility implements WorkloadCompatibility {

  /** A message lists this many pods at fault and counts the rest. */
  private static final int LISTED_FAILURES = 5;

  private final WorkloadCaches workloads;
  private final CompatibilityProbe probe;

  /** Asks pods with the real probes. */
  public KubernetesWorkloadCompatibility(WorkloadCaches workloads) {
    this(workloads, new CompatibilityProbes());
  }

  public KubernetesWorkloadCompatibility(WorkloadCaches workloads, CompatibilityProbe probe) {
    this.workloads = workloads;
    this.probe = probe;
  }

  @Override
  public CompatibilityCheck check(String namespace, Workload workload, String version) {
    return check(namespace, workload, version, false);
  }

  @Override
  public CompatibilityCheck checkBeforeChange(String namespace, Workload workload, String version) {
    return check(namespace, workload, version, true);
  }

  /**
   * Terminating pods are asked as well as ready ones; one that does not support the version counts
   * against it, and, when {@code strict}, so does one that no longer answers.
   */
  private CompatibilityCheck check(String namespace, Workload workload, String version, boolean strict) {
    String name = workload.getKind() + "/" + workload.getName();
    Compatibility compatibility = workload.getCompatibility();
    if (compatibility == null) {
      return outcome(name, version, Verdict.NOT_DECLARED, List.of(), List.of(),
          name + " declares no compatibility; only its readiness is checked");
    }
    Reading<MigrationVersion> wanted = SchemaVersions.parse(version);
    if (!wanted.ok()) {
      return outcome(name, version, Verdict.INVALID_VERSION, List.of(), List.of(),
          name + ": cannot check schema version " + version + ": " + wanted.problem());
    }
    LabelSelector selector = selector(namespace, workload);
    if (selector == null) {
      return outcome(name, version, Verdict.WORKLOAD_MISSING, List.of(), List.of(), name + " does not exist; create it, or remove it from spec.workloads");
    }
    if (LabelSelectors.empty(selector)) {
      return outcome(name, version, Verdict.NO_READY_PODS, List.of(), List.of(),
          name + " has an empty spec.selector, so it selects no pods to ask about schema version " + version);
    }
    List<Pod> selected = selectedPods(namespace, selector);
    List<Pod> ready = selected.stream().filter(Pods::ready).toList();
    if (ready.isEmpty()) {
      return outcome(name, version, Verdict.NO_READY_PODS, List.of(), List.of(),
          name + ": no ready pods to ask whether they support schema version " + version);
    }
    List<Pod> terminating = selected.stream().filter(Pods::terminating).toList();
    List<PodFailure> failures = new ArrayList<>(ask(ready, compatibility, wanted.value(), version));
    for (PodFailure failure : ask(terminating, compatibility, wanted.value(), version)) {
      if (failure.kind() == PodFailure.Kind.OUT_OF_RANGE) {
        failures.add(failure);
      } else if (strict) {
        failures.add(new PodFailure(failure.pod(), PodFailure.Kind.TERMINATING, failure.pod()
            + " is terminating and may still serve requests, but did not say it supports " + version
            + "; waiting until it is gone"));
      }
    }
    failures.sort(Comparator.comparing(PodFailure::pod));
    List<String> asked = java.util.stream.Stream.concat(ready.stream(), terminating.stream())
        .map(p -> p.getMetadata().getName()).sorted().toList();
    if (failures.isEmpty()) {
      return outcome(name, version, Verdict.SUPPORTED, asked, failures, name + ": "
          + (asked.size() == 1 ? "its ready pod supports" : "all " + asked.size()
              + (terminating.isEmpty() ? " ready pods support" : " ready or terminating pods support"))
          + " schema version " + version);
    }
    boolean unknown = failures.stream().allMatch(f -> f.kind() == PodFailure.Kind.UNKNOWN);
    if (unknown) {
      return outcome(name, version, Verdict.UNKNOWN, asked, failures, name + ": " + failures.size() + " of "
          + asked.size() + (terminating.isEmpty() ? " ready" : " ready or terminating") + " pods did not answer in"
          + " time whether they support schema version " + version + " (unknown): " + list(failures));
    }
    return outcome(name, version, Verdict.UNSUPPORTED, asked, failures, name + ": " + failures.size() + " of "
        + asked.size() + (terminating.isEmpty() ? " ready" : " ready or terminating") + " pods "
        + (failures.size() == 1 ? "does" : "do") + " not support schema version "
        + version + ": " + list(failures));
  }

  /** Asks every pod at once and waits for all answers; each probe bounds its own wait. */
  private List<PodFailure> ask(List<Pod> pods, Compatibility compatibility, MigrationVersion wanted, String version) {
    List<CompletableFuture<PodFailure>> answers = new ArrayList<>();
    for (Pod pod : pods) {
      answers.add(askOne(pod, compatibility)
          .thenApply(answer -> judge(pod, answer, wanted, version)));
    }
    return answers.stream().map(CompletableFuture::join).filter(Objects::nonNull).toList();
  }

  private CompletableFuture<Reading<SchemaRange>> askOne(Pod pod, Compatibility compatibility) {
    try {
      return probe.ask(pod, compatibility)
          .exceptionally(e -> Reading.failed(Pods.describe(pod) + ": asking it failed: " + e));
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(Reading.failed(Pods.describe(pod) + ": asking it failed: " + e));
    }
  }

  /** {@code null} when the pod supports the version. */
  private static PodFailure judge(Pod pod, Reading<SchemaRange> answer, MigrationVersion wanted, String version) {
    String name = pod.getMetadata().getName();
    if (!answer.ok()) {
      return new PodFailure(name, answer.timedOut() ? PodFailure.Kind.UNKNOWN : PodFailure.Kind.NO_ANSWER,
          answer.problem());
    }
    if (answer.value().contains(wanted)) {
      return null;
    }
    return new PodFailure(name, PodFailure.Kind.OUT_OF_RANGE,
        Pods.describe(pod) + ": supports " + answer.value() + ", not " + version);
  }

  private List<Pod> selectedPods(String namespace, LabelSelector selector) {
    return workloads.pods().list(namespace, p -> LabelSelectors.matches(selector, p.getMetadata().getLabels()))
        .stream()
        .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
        .toList();
  }

  /** The workload's pod selector, or {@code null} when the workload does not exist. */
  private LabelSelector selector(String namespace, Workload workload) {
    if (workload.getKind() == WorkloadKind.StatefulSet) {
      StatefulSet set = workloads.statefulSets().get(namespace, workload.getName()).orElse(null);
      return set == null ? null : orEmpty(set.getSpec().getSelector());
    }
    Deployment deployment = workloads.deployments().get(namespace, workload.getName()).orElse(null);
    return deployment == null ? null : orEmpty(deployment.getSpec().getSelector());
  }

  private static LabelSelector orEmpty(LabelSelector selector) {
    return selector == null ? new LabelSelector() : selector;
  }

  private static String list(List<PodFailure> failures) {
    String listed = failures.stream().limit(LISTED_FAILURES).map(PodFailure::message)
        .collect(Collectors.joining("; "));
    int more = failures.size() - LISTED_FAILURES;
    return more > 0 ? listed + "; and " + more + " more" : listed;
  }

  private static CompatibilityCheck outcome(
      String workload, String version, Verdict verdict, List<String> asked, List<PodFailure> failures,
      String message) {
    return new CompatibilityCheck(workload, version, verdict, asked, failures, message);
  }
}
