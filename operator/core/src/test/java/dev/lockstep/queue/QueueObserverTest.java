package dev.lockstep.queue;

import static dev.lockstep.reconcile.Migrations.migration;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.Phase;
import dev.lockstep.api.SchemaMigration;
import dev.lockstep.api.SchemaMigrationStatus;
import dev.lockstep.cache.FakeCache;
import dev.lockstep.queue.DatabaseLeases.LeaseRecord;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The queue as seen from the SchemaMigration cache and a fake lease store. */
class QueueObserverTest {

  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

  private final FakeCache<SchemaMigration> migrations = new FakeCache<>();
  private final FakeLeases leases = new FakeLeases();
  private final QueueObserver queue = new QueueObserver(migrations, leases);

  private static SchemaMigration named(String name, Phase phase, String created, String... dependsOn) {
    SchemaMigration m = migration();
    m.getMetadata().setName(name);
    m.getMetadata().setUid("uid-" + name);
    m.getMetadata().setCreationTimestamp(created);
    if (phase != null) {
      SchemaMigrationStatus status = new SchemaMigrationStatus();
      status.setPhase(phase);
      m.setStatus(status);
    }
    if (dependsOn.length > 0) {
      m.getSpec().setDependsOn(List.of(dependsOn));
    }
    return m;
  }

  @Test
  void dependenciesAreReportedWithTheirPhaseAndMissingOnesByName() {
    migrations.put(named("add-index", Phase.Succeeded, "2026-12-01T09:00:00Z"));
    migrations.put(named("backfill", Phase.Progressing, "2026-12-01T09:10:00Z"));
    SchemaMigration me = named("me", Phase.Queued, "2026-12-01T09:20:00Z", "add-index", "backfill", "nowhere");

    QueuePosition position = queue.observe(me, NOW).position();

    Map<String, Phase> expected = new HashMap<>();
    expected.put("add-index", Phase.Succeeded);
    expected.put("backfill", Phase.Progressing);
    expected.put("nowhere", null);
    assertThat(position.dependencies()).containsExactlyInAnyOrderEntriesOf(expected);
    assertThat(position.missingDependencies()).containsExactly("nowhere");
    assertThat(position.cycle()).isEmpty();
  }

  @Test
  void aCycleThroughTheMigrationIsFound() {
    migrations.put(named("b", Phase.Queued, "2026-12-01T09:00:00Z", "me"));
    SchemaMigration me = named("me", Phase.Queued, "2026-12-01T09:20:00Z", "b");

    assertThat(queue.observe(me, NOW).position().cycle()).containsExactly("me", "b", "me");
  }

  /**
   * It took the lease, its status write failed, and an older migration is now waiting too: the older
   * one waits for the holder, so the holder must not wait for it (each would wait for the other).
   */
  @Test
  void aMigrationThatHoldsTheLeaseWaitsForNobodyInLine() {
    SchemaMigration older = named("older", Phase.Queued, "2026-12-01T09:00:00Z");
    SchemaMigration me = named("me", Phase.Queued, "2026-12-01T09:20:00Z");
    migrations.put(older);
    migrations.put(me);
    leases.lease = Optional.of(new LeaseRecord("uid-me", "me", false, false, "7"));

    assertThat(queue.observe(me, NOW).position().aheadInLine()).isNull();
    assertThat(queue.observe(me, NOW).position().holder()).isNull();
    assertThat(queue.observe(older, NOW).position().holder()).isEqualTo("me");

    leases.lease = Optional.empty();
    assertThat(queue.observe(me, NOW).position().aheadInLine()).as("without the lease, the older goes first")
        .isEqualTo("older");
  }

  @Test
  void aRunningHolderKeepsTheLeaseAndAFinishedOneDoesNot() {
    migrations.put(named("holder", Phase.Progressing, "2026-12-01T09:00:00Z"));
    leases.lease = Optional.of(new LeaseRecord("uid-holder", "holder", false, false, "7"));
    SchemaMigration me = named("me", Phase.Queued, "2026-12-01T09:20:00Z");

    QueueObserver.View view = queue.observe(me, NOW);
    assertThat(view.position().holder()).isEqualTo("holder");
    assertThat(view.lease()).isEqualTo(leases.lease);

    migrations.put(named("holder", Phase.Succeeded, "2026-12-01T09:00:00Z"));
    assertThat(queue.observe(me, NOW).position().holder()).isNull();
  }

  @Test
  void aDeletedHolderKeepsTheLeaseUntilItExpires() {
    leases.lease = Optional.of(new LeaseRecord("uid-gone", "gone", false, false, "7"));
    SchemaMigration me = named("me", Phase.Queued, "2026-12-01T09:20:00Z");

    assertThat(queue.observe(me, NOW).position().holder()).isEqualTo("gone (deleted; its lease expires soon)");

    leases.lease = Optional.of(new LeaseRecord("uid-gone", "gone", true, true, "7"));
    assertThat(queue.observe(me, NOW).position().holder()).isNull();
  }

  @Test
  void anOlderReadyMigrationOfTheSameDatabaseGoesFirst() {
    migrations.put(named("older", Phase.Queued, "2026-12-01T09:00:00Z"));
    migrations.put(named("newer", Phase.Queued, "2026-12-01T09:30:00Z"));
    migrations.put(named("older-but-blocked", Phase.Queued, "2026-12-01T08:00:00Z", "newer"));
    SchemaMigration otherDatabase = named("other-db", Phase.Queued, "2026-12-01T07:00:00Z");
    otherDatabase.getSpec().getDatabase().setName("inventory");
    migrations.put(otherDatabase);
    SchemaMigration me = named("me", Phase.Queued, "2026-12-01T09:20:00Z");

    assertThat(queue.observe(me, NOW).position().aheadInLine()).isEqualTo("older");
    assertThat(queue.observe(named("first", Phase.Queued, "2026-12-01T06:00:00Z"), NOW).position().aheadInLine())
        .isNull();
  }

  @Test
  void theMigrationBeingReconciledCountsAsItIsNotAsTheCacheLastSawIt() {
    // The cache still holds an older copy of "me" that depended on itself; the caller's copy does not.
    migrations.put(named("me", Phase.Queued, "2026-12-01T09:20:00Z", "me"));
    SchemaMigration me = named("me", Phase.Queued, "2026-12-01T09:20:00Z");

    QueuePosition position = queue.observe(me, NOW).position();

    assertThat(position.cycle()).isEmpty();
    assertThat(position.aheadInLine()).isNull();
  }

  @Test
  void aMigrationWithoutADatabaseReadsNoLease() {
    SchemaMigration me = named("me", Phase.Queued, "2026-12-01T09:20:00Z");
    me.getSpec().getDatabase().setName(null);
    leases.lease = Optional.of(new LeaseRecord("uid-x", "x", false, false, "1"));

    QueueObserver.View view = queue.observe(me, NOW);

    assertThat(view.lease()).isEmpty();
    assertThat(leases.reads).isZero();
  }

  /** One lease, whatever the database; counts reads. */
  private static final class FakeLeases implements DatabaseLeases {
    Optional<LeaseRecord> lease = Optional.empty();
    int reads;

    @Override
    public Optional<LeaseRecord> read(String namespace, String database, Instant now) {
      reads++;
      return lease;
    }

    @Override
    public boolean take(SchemaMigration migration, Optional<LeaseRecord> seen, Instant now) {
      throw new AssertionError("observing never takes the lease");
    }

    @Override
    public void release(SchemaMigration migration) {
      throw new AssertionError("observing never releases the lease");
    }
  }
}
