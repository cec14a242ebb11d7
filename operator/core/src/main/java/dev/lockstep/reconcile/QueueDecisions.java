package dev.lockstep.reconcile;

import dev.lockstep.api.FailureReason;
import dev.lockstep.api.Phase;
import dev.lockstep.queue.QueuePosition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The decisions of a migration waiting in line: for its dependencies, then for its database. */
final class QueueDecisions {

  /**
   * How often a queued migration looks again at its dependencies: a dependency's progress is a
   * status change of another migration, which wakes nobody.
   */
  static final Duration QUEUE_RECHECK = Duration.ofSeconds(3);

  /**
   * How often a migration waiting for its database looks again. The lease informer wakes it as soon
   * as the lease changes hands or is given back; this only catches a holder that stops renewing
   * (its lease expires without an event). Rechecking every few seconds instead made hundreds of
   * waiting migrations take the reconcile threads from the running ones.
   */
  static final Duration DATABASE_RECHECK = Duration.ofSeconds(15);

  private QueueDecisions() {}

  /**
   * Dependencies first, then the database: a migration leaves the queue when everything it depends
   * on has succeeded, nobody else holds its database, and nobody older is waiting for it.
   */
  static Decision queued(DecisionDraft p) {
    QueuePosition queue = p.observed.queue();
    if (queue == null) {
      return p.hold(MigrationDecider.NOW, Health.progressing(Reason.Queued, "looking at the queue"));
    }
    String namespace = p.migration.getMetadata().getNamespace();
    var databaseSpec = p.migration.getSpec().getDatabase();
    if (databaseSpec == null || databaseSpec.getName() == null || databaseSpec.getName().isBlank()) {
      // The lease is named for the database: without a name there is nothing to queue for, and taking
      // a lease "null" would hold it for every other migration that lacks one too.
      p.status.setObservedGeneration(p.generation());
      return p.fail(FailureReason.ValidationFailed, null, "invalid spec: spec.database.name is missing",
          "; name the database this migration changes");
    }
    if (!queue.missingDependencies().isEmpty()) {
      p.status.setObservedGeneration(p.generation());
      return p.fail(FailureReason.ValidationFailed, null, "invalid spec: spec.dependsOn names "
          + String.join(", ", queue.missingDependencies()) + ", which is not a SchemaMigration in namespace "
          + namespace, "; create it or remove it from dependsOn");
    }
    if (!queue.cycle().isEmpty()) {
      p.status.setObservedGeneration(p.generation());
      return p.fail(FailureReason.ValidationFailed, null, "invalid spec: spec.dependsOn forms a cycle: "
          + String.join(" -> ", queue.cycle()), "; break it");
    }
    List<String> failed = new ArrayList<>();
    List<String> unfinished = new ArrayList<>();
    queue.dependencies().forEach((name, phase) -> {
      if (phase == Phase.Failed || phase == Phase.RolledBack) {
        failed.add(name + " (" + phase + ")");
      } else if (phase != Phase.Succeeded) {
        unfinished.add(name + " (" + (phase == null ? "not started" : phase.name()) + ")");
      }
    });
    if (!failed.isEmpty()) {
      return p.phase(Phase.Queued, QUEUE_RECHECK, Health.stalled(Reason.DependencyFailed, "dependency "
          + String.join(", ", failed) + " did not succeed, so this migration will not run on its own;"
          + " retry the dependency or remove it from spec.dependsOn"));
    }
    if (!unfinished.isEmpty()) {
      return p.phase(Phase.Queued, QUEUE_RECHECK, Health.progressing(Reason.WaitingForDependency,
          "waiting for dependency " + String.join(", ", unfinished)));
    }
    String database = p.migration.getSpec().getDatabase() == null ? "?" : p.migration.getSpec().getDatabase().getName();
    if (queue.holder() != null) {
      return p.phase(Phase.Queued, DATABASE_RECHECK, Health.progressing(Reason.WaitingForDatabase,
          "waiting for database " + database + ": migration " + queue.holder() + " is changing it"));
    }
    if (queue.aheadInLine() != null) {
      return p.phase(Phase.Queued, DATABASE_RECHECK, Health.progressing(Reason.WaitingForDatabase,
          "waiting for database " + database + ": migration " + queue.aheadInLine() + " was queued first"));
    }
    return p.phase(Phase.Validating, MigrationDecider.NOW, Health.progressing(Reason.Validating, "took the lease of database "
        + database + "; validating the spec"));
  }

}
