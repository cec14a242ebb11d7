package dev.lockstep.queue;

import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.cache.CachedResources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Looks at what stands between a migration and its database: its dependencies, the lease, and older
 * migrations of the same database waiting in line.
 *
 * <p>The other migrations of the namespace come from the controller's own informer cache. It may
 * lag a write by a moment; that only delays a decision, since the lease, taken with optimistic
 * locking, is what keeps two migrations of one database apart.
 */
public final class QueueObserver {

  private final CachedResources<SchemaMigration> migrations;
  private final DatabaseLeases leases;

  /**
   * @param migrations the SchemaMigrations of the watched namespaces
   * @param leases the database leases
   */
  public QueueObserver(CachedResources<SchemaMigration> migrations, DatabaseLeases leases) {
    this.migrations = migrations;
    this.leases = leases;
  }

  /** What was seen: the position for the decision, and the lease as read for taking it. */
  public record View(QueuePosition position, Optional<DatabaseLeases.LeaseRecord> lease) {}

  public View observe(SchemaMigration migration, Instant now) {
    String namespace = migration.getMetadata().getNamespace();
    List<SchemaMigration> all = withoutStaleCopyOf(migration, migrations.list(namespace, m -> true));
    Map<String, SchemaMigration> byName = new HashMap<>();
    Map<String, List<String>> edges = new HashMap<>();
    for (SchemaMigration m : all) {
      byName.put(m.getMetadata().getName(), m);
      edges.put(m.getMetadata().getName(), dependsOn(m));
    }
    Map<String, Phase> dependencies = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (String dependency : dependsOn(migration)) {
      SchemaMigration found = byName.get(dependency);
      if (found == null) {
        missing.add(dependency);
      }
      dependencies.put(dependency, found == null ? null : phase(found));
    }
    List<String> cycle = new DependencyGraph(edges).cycleThrough(migration.getMetadata().getName());
    String database = migration.getSpec().getDatabase() == null ? null : migration.getSpec().getDatabase().getName();
    if (database == null) {
      return new View(new QueuePosition(dependencies, missing, cycle, null, null), Optional.empty());
    }
    Optional<DatabaseLeases.LeaseRecord> lease = leases.read(namespace, database, now);
    String holder = lease.map(l -> blockingHolder(l, migration, all)).orElse(null);
    // A migration that already holds the lease waits for nobody in line: it took the lease, then its
    // status write failed (a conflict), so it is still Queued. Were it to wait for an older migration,
    // that one would wait for it as the lease's holder, and neither would ever move.
    boolean mine = lease.map(l -> Objects.equals(l.holderUid(), migration.getMetadata().getUid())).orElse(false);
    String ahead = mine ? null : aheadInLine(migration, database, all, byName);
    return new View(new QueuePosition(dependencies, missing, cycle, holder, ahead), lease);
  }

  /** The cache may hold an older copy of the migration being reconciled; the caller's is the one to use. */
  private static List<SchemaMigration> withoutStaleCopyOf(SchemaMigration me, List<SchemaMigration> cached) {
    List<SchemaMigration> all = new ArrayList<>();
    all.add(me);
    for (SchemaMigration m : cached) {
      if (!Objects.equals(m.getMetadata().getUid(), me.getMetadata().getUid())) {
        all.add(m);
      }
    }
    return all;
  }

  /**
   * Who the lease keeps this migration waiting for, or {@code null} when it may take it: a holder
   * that is still working keeps it; one that finished gave it up; one that was deleted keeps it
   * until the lease expires, in case its Job is still running.
   */
  static String blockingHolder(DatabaseLeases.LeaseRecord lease, SchemaMigration me, List<SchemaMigration> all) {
    if (Objects.equals(lease.holderUid(), me.getMetadata().getUid())) {
      return null;
    }
    Optional<SchemaMigration> holder = all.stream()
        .filter(m -> Objects.equals(m.getMetadata().getUid(), lease.holderUid())).findFirst();
    if (holder.isPresent()) {
      Phase phase = phase(holder.get());
      return phase != null && phase.isTerminal() ? null : holder.get().getMetadata().getName();
    }
    return lease.expired() ? null : (lease.holderName() == null ? lease.holderUid() : lease.holderName())
        + " (deleted; its lease expires soon)";
  }

  /** The oldest other migration of the same database that is also ready to go, if older than this one. */
  private static String aheadInLine(SchemaMigration me, String database, List<SchemaMigration> all,
      Map<String, SchemaMigration> byName) {
    return all.stream()
        .filter(m -> !Objects.equals(m.getMetadata().getUid(), me.getMetadata().getUid()))
        .filter(m -> m.getSpec() != null && m.getSpec().getDatabase() != null
            && database.equals(m.getSpec().getDatabase().getName()))
        .filter(m -> waiting(phase(m)))
        .filter(m -> dependsOn(m).stream().allMatch(d -> byName.containsKey(d) && phase(byName.get(d)) == Phase.Succeeded))
        .filter(m -> queuedBefore(m, me))
        .min(Comparator.comparing((SchemaMigration m) -> String.valueOf(m.getMetadata().getCreationTimestamp()))
            .thenComparing(m -> m.getMetadata().getName()))
        .map(m -> m.getMetadata().getName())
        .orElse(null);
  }

  private static boolean waiting(Phase phase) {
    return phase == null || phase == Phase.Pending || phase == Phase.Queued;
  }

  private static boolean queuedBefore(SchemaMigration other, SchemaMigration me) {
    String a = String.valueOf(other.getMetadata().getCreationTimestamp());
    String b = String.valueOf(me.getMetadata().getCreationTimestamp());
    int byTime = a.compareTo(b);
    return byTime < 0 || (byTime == 0 && other.getMetadata().getName().compareTo(me.getMetadata().getName()) < 0);
  }

  private static List<String> dependsOn(SchemaMigration m) {
    return m.getSpec() == null || m.getSpec().getDependsOn() == null ? List.of() : m.getSpec().getDependsOn();
  }

  private static Phase phase(SchemaMigration m) {
    return m.getStatus() == null ? null : m.getStatus().getPhase();
  }
}
