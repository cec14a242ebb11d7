package dev.lockstep.bench;

import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.jobs.JobLabels;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What the benchmark's own watches see, timed on arrival: when each Job appears, when it is
 * Complete, and when each migration reaches a terminal phase. Both ends of a reaction are seen
 * through the same watches, so their delivery delay cancels out of the difference.
 */
final class ControlPlaneTimeline implements AutoCloseable {

  private final Map<String, Long> jobCreated = new ConcurrentHashMap<>();
  private final Map<String, Long> jobCompleted = new ConcurrentHashMap<>();
  private final Map<String, Long> migrationEnded = new ConcurrentHashMap<>();
  private final Map<String, Phase> endPhase = new ConcurrentHashMap<>();
  private final SharedIndexInformer<Job> jobs;
  private final SharedIndexInformer<SchemaMigration> migrations;

  ControlPlaneTimeline(KubernetesClient client, String namespace) {
    this.jobs = client.batch().v1().jobs().inNamespace(namespace).inform(handler(this::job));
    this.migrations = client.resources(SchemaMigration.class).inNamespace(namespace).inform(handler(this::migration));
  }

  private static <T> ResourceEventHandler<T> handler(Consumer<T> seen) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T object) {
        seen.accept(object);
      }

      @Override
      public void onUpdate(T before, T after) {
        seen.accept(after);
      }

      @Override
      public void onDelete(T object, boolean finalStateUnknown) {}
    };
  }

  private void job(Job job) {
    long now = System.nanoTime();
    String key = key(job);
    if (key == null) {
      return;
    }
    jobCreated.putIfAbsent(key, now);
    boolean complete = job.getStatus() != null && job.getStatus().getConditions() != null
        && job.getStatus().getConditions().stream()
            .anyMatch(c -> "Complete".equals(c.getType()) && "True".equals(c.getStatus()));
    if (complete) {
      jobCompleted.putIfAbsent(key, now);
    }
  }

  private void migration(SchemaMigration migration) {
    Phase phase = migration.getStatus() == null ? null : migration.getStatus().getPhase();
    if (phase == Phase.Succeeded || phase == Phase.Failed || phase == Phase.RolledBack) {
      String name = migration.getMetadata().getName();
      migrationEnded.putIfAbsent(name, System.nanoTime());
      endPhase.putIfAbsent(name, phase);
    }
  }

  /** {@code <migration>/<step>} of a step's Job (undo Jobs are not part of the benchmark). */
  private static String key(Job job) {
    Map<String, String> labels = job.getMetadata().getLabels();
    if (labels == null || !labels.containsKey(JobLabels.MIGRATION) || !labels.containsKey(JobLabels.STEP)) {
      return null;
    }
    return labels.get(JobLabels.MIGRATION) + "/" + labels.get(JobLabels.STEP);
  }

  int ended() {
    return migrationEnded.size();
  }

  long ended(Phase phase) {
    return endPhase.values().stream().filter(p -> p == phase).count();
  }

  /**
   * Each reaction of the operator inside a migration, in nanoseconds: from a step's Job seen
   * Complete to the next step's Job seen created, and from the last Job seen Complete to the
   * migration seen Succeeded.
   */
  List<Long> reactions(List<String> migrationNames, List<String> steps) {
    List<Long> reactions = new ArrayList<>();
    for (String migration : migrationNames) {
      for (int i = 0; i < steps.size(); i++) {
        Long completed = jobCompleted.get(migration + "/" + steps.get(i));
        Long next = i + 1 < steps.size() ? jobCreated.get(migration + "/" + steps.get(i + 1))
            : migrationEnded.get(migration);
        if (completed != null && next != null) {
          reactions.add(Math.max(0, next - completed));
        }
      }
    }
    return reactions;
  }

  @Override
  public void close() {
    jobs.close();
    migrations.close();
  }
}
