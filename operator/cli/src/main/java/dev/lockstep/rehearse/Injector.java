package dev.lockstep.rehearse;

import dev.lockstep.protocol.RunnerResult;

import dev.lockstep.world.cluster.LocalCluster;

import dev.lockstep.api.Guards;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.StepState;
import dev.lockstep.api.Workload;
import dev.lockstep.jobs.JobLabels;
import dev.lockstep.jobs.RunnerJobRequest;
import dev.lockstep.rehearse.traffic.ReadyPods;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Carries out {@code --inject}: Job failures are planned with the kubelet before anything runs; an
 * unready pod or a Prometheus breach happens once its step has succeeded. Each is said on the timeline.
 * When a migration has no guard that would notice the fault, the guard is added to its spec at that
 * moment (and said so), since a breach nothing watches rehearses nothing.
 */
final class Injector {

  private final List<Injection> pending;
  private final LocalCluster cluster;
  private final RehearsalPrometheus prometheus;
  private final Timeline timeline;
  private final List<Fired> fired = new ArrayList<>();

  /** An injection and when it took effect, for the report. */
  record Fired(Injection injection, Instant at, String what) {}

  Injector(List<Injection> injections, LocalCluster cluster, RehearsalPrometheus prometheus, Timeline timeline) {
    this.pending = new ArrayList<>(injections);
    this.cluster = cluster;
    this.prometheus = prometheus;
    this.timeline = timeline;
  }

  /** Plans the Job failures with the kubelet; they are reported when the step fails. */
  void arm(Instant now) {
    for (Injection injection : pending) {
      String name = injection.migration().substring(injection.migration().indexOf('/') + 1);
      switch (injection.kind()) {
        case FAIL -> {
          // A failure the runner reported, as a script that fails does: a Job that leaves no result
          // is a crash, whose step rollback must undo to be safe (and cannot, for a first migrate).
          RunnerResult reported = new RunnerResult();
          reported.setError("injected by lockstep rehearse --inject " + injection + ": the step's Job failed");
          cluster.kubelet().faults().failNextJob(job(name, injection.step(), RunnerJobRequest.DO),
              reported.toTerminationMessage());
          timeline.note(now, injection.migration(), "inject " + injection + ": the Job of step "
              + injection.step() + " will fail");
        }
        case UNDO_FAIL -> {
          cluster.kubelet().faults().failNextJob(job(name, injection.step(), RunnerJobRequest.UNDO),
              "injected by lockstep rehearse --inject " + injection + ": the undo Job failed");
          timeline.note(now, injection.migration(), "inject " + injection + ": the undo Job of step "
              + injection.step() + " will fail");
        }
        case UNREADY, PROMETHEUS -> {
          // once the step has succeeded
        }
      }
    }
  }

  /**
   * Fires the injections whose step has just succeeded, and records the Job failures as they strike.
   */
  void observe(List<SchemaMigration> migrations, Instant now) {
    for (var it = pending.iterator(); it.hasNext(); ) {
      Injection injection = it.next();
      SchemaMigration m = find(migrations, injection.migration());
      StepState when = switch (injection.kind()) {
        case FAIL -> StepState.Failed;
        case UNDO_FAIL -> StepState.UndoFailed;
        case UNREADY, PROMETHEUS -> StepState.Succeeded;
      };
      if (m == null || m.getStatus() == null || m.getStatus().getSteps() == null
          || m.getStatus().getSteps().stream().noneMatch(s -> s.getName().equals(injection.step())
              && s.getState() == when)) {
        continue;
      }
      it.remove();
      switch (injection.kind()) {
        case FAIL -> fired.add(new Fired(injection, now, "the Job of step " + injection.step() + " failed"));
        case UNDO_FAIL -> fired.add(new Fired(injection, now, "the undo Job of step " + injection.step() + " failed"));
        case UNREADY -> unready(injection, m, now);
        case PROMETHEUS -> breach(injection, m, now);
      }
    }
  }

  List<Fired> fired() {
    return List.copyOf(fired);
  }

  private void unready(Injection injection, SchemaMigration m, Instant now) {
    KubernetesClient client = cluster.client();
    String namespace = m.getMetadata().getNamespace();
    Workload workload = m.getSpec().getWorkloads().get(0);
    List<String> pods = readyPodNames(client, namespace, workload);
    if (pods.isEmpty()) {
      note(injection, now, "no pod of " + workload.getKind() + " " + workload.getName() + " is ready; nothing to make unready");
      return;
    }
    if (m.getSpec().getGuards() == null || !Boolean.TRUE.equals(m.getSpec().getGuards().getPodsReady())) {
      editGuards(client, m, guards -> guards.setPodsReady(true));
      timeline.note(now, injection.migration(), "guards.podsReady added to the spec, so the unready pod is a breach"
          + " (the migration had no such guard)");
    }
    cluster.kubelet().faults().markUnready(namespace, pods.get(0));
    note(injection, now, "pod " + pods.get(0) + " stopped being ready");
  }

  private void breach(Injection injection, SchemaMigration m, Instant now) {
    var guard = m.getSpec().getGuards() == null ? null : m.getSpec().getGuards().getPrometheus();
    if (guard == null) {
      var added = prometheus.failureRatioGuard();
      editGuards(cluster.client(), m, guards -> guards.setPrometheus(added));
      timeline.note(now, injection.migration(), "guards.prometheus added to the spec (" + added.getQuery()
          + " at most " + added.getMax() + " for " + added.getForDuration() + ")");
      guard = added;
    }
    prometheus.breach(guard);
    note(injection, now, "Prometheus answers " + guard.getQuery() + " out of bounds from now on");
  }

  private void editGuards(KubernetesClient client, SchemaMigration m, java.util.function.Consumer<Guards> change) {
    client.resources(SchemaMigration.class).inNamespace(m.getMetadata().getNamespace())
        .withName(m.getMetadata().getName()).edit(live -> {
          Guards guards = live.getSpec().getGuards() == null ? new Guards() : live.getSpec().getGuards();
          change.accept(guards);
          live.getSpec().setGuards(guards);
          return live;
        });
  }

  private void note(Injection injection, Instant now, String what) {
    fired.add(new Fired(injection, now, what));
    timeline.note(now, injection.migration(), "inject " + injection + ": " + what);
  }

  private static List<String> readyPodNames(KubernetesClient client, String namespace, Workload workload) {
    HasMetadata owner = "StatefulSet".equals(String.valueOf(workload.getKind()))
        ? client.apps().statefulSets().inNamespace(namespace).withName(workload.getName()).get()
        : client.apps().deployments().inNamespace(namespace).withName(workload.getName()).get();
    LabelSelector selector = owner instanceof Deployment d ? d.getSpec().getSelector()
        : owner instanceof StatefulSet s ? s.getSpec().getSelector() : null;
    if (selector == null || selector.getMatchLabels() == null) {
      return List.of();
    }
    return client.pods().inNamespace(namespace).withLabels(selector.getMatchLabels()).list().getItems().stream()
        .filter(ReadyPods::ready).map(p -> p.getMetadata().getName()).sorted().toList();
  }

  private static Predicate<Job> job(String migration, String step, String action) {
    return job -> {
      Map<String, String> labels = job.getMetadata().getLabels();
      return labels != null && migration.equals(labels.get(JobLabels.MIGRATION)) && step.equals(labels.get(JobLabels.STEP))
          && action.equals(labels.get(JobLabels.ACTION));
    };
  }

  private static SchemaMigration find(List<SchemaMigration> migrations, String id) {
    return migrations.stream()
        .filter(m -> (m.getMetadata().getNamespace() + "/" + m.getMetadata().getName()).equals(id))
        .findFirst().orElse(null);
  }
}
