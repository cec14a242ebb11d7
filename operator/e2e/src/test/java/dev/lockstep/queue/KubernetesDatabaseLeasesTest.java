package dev.lockstep.queue;

import static dev.lockstep.reconcile.Migrations.migration;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.SchemaMigration;
import dev.lockstep.cache.FakeCache;
import dev.lockstep.queue.DatabaseLeases.LeaseRecord;
import dev.lockstep.world.KubernetesWorld;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Leases written to the in-process API server and read from a fake informer cache, which is fed
 * what the leases hand back after each write — as JOSDK's temporary cache is.
 */
class KubernetesDatabaseLeasesTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  private KubernetesWorld world;
  private KubernetesClient client;
  private final FakeCache<Lease> cache = new FakeCache<>();
  private KubernetesDatabaseLeases leases;

  @BeforeEach
  void start() {
    world = KubernetesWorld.start();
    client = world.newClient();
    leases = new KubernetesDatabaseLeases(client, cache);
  }

  @AfterEach
  void stop() {
    world.close();
  }

  private static SchemaMigration named(String name, String uid) {
    SchemaMigration m = migration();
    m.getMetadata().setName(name);
    m.getMetadata().setUid(uid);
    return m;
  }

  private Lease stored() {
    return client.leases().inNamespace("shop").withName("lockstep-db-orders").get();
  }

  @Test
  void theFirstTakerCreatesTheLeaseAndSeesItAtOnce() {
    SchemaMigration first = named("first", "uid-1");

    assertThat(leases.take(first, Optional.empty(), T0)).isTrue();

    Lease lease = stored();
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("uid-1");
    assertThat(lease.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "lockstep");
    assertThat(lease.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo("uid-1"));
    Optional<LeaseRecord> read = leases.read("shop", "orders", T0.plusSeconds(1));
    assertThat(read).hasValueSatisfying(r -> {
      assertThat(r.holderUid()).isEqualTo("uid-1");
      assertThat(r.holderName()).isEqualTo("first");
      assertThat(r.expired()).isFalse();
      assertThat(r.dueForRenewal()).isFalse();
    });
  }

  @Test
  void aSecondCreatorLosesTheRace() {
    leases.take(named("first", "uid-1"), Optional.empty(), T0);

    assertThat(leases.take(named("second", "uid-2"), Optional.empty(), T0)).as("409 from the API server").isFalse();
    assertThat(stored().getSpec().getHolderIdentity()).isEqualTo("uid-1");
  }

  @Test
  void theHolderRenewsOnlyWhenDue() {
    SchemaMigration first = named("first", "uid-1");
    leases.take(first, Optional.empty(), T0);
    String created = stored().getMetadata().getResourceVersion();

    assertThat(leases.take(first, leases.read("shop", "orders", T0.plusSeconds(5)), T0.plusSeconds(5))).isTrue();
    assertThat(stored().getMetadata().getResourceVersion()).as("not due: no write").isEqualTo(created);

    Instant later = T0.plusSeconds(20);
    assertThat(leases.take(first, leases.read("shop", "orders", later), later)).isTrue();
    Lease renewed = stored();
    assertThat(renewed.getMetadata().getResourceVersion()).isNotEqualTo(created);
    assertThat(renewed.getSpec().getRenewTime().toInstant()).isEqualTo(later);
    assertThat(renewed.getSpec().getAcquireTime().toInstant()).isEqualTo(T0);
    assertThat(renewed.getSpec().getLeaseTransitions()).isZero();
    assertThat(cache.get("shop", "lockstep-db-orders")).get()
        .extracting(l -> l.getMetadata().getResourceVersion()).isEqualTo(renewed.getMetadata().getResourceVersion());
  }

  @Test
  void anExpiredLeaseIsTakenOver() {
    leases.take(named("first", "uid-1"), Optional.empty(), T0);
    Instant later = T0.plus(KubernetesDatabaseLeases.DURATION).plusSeconds(1);
    Optional<LeaseRecord> seen = leases.read("shop", "orders", later);
    assertThat(seen).hasValueSatisfying(r -> assertThat(r.expired()).isTrue());

    assertThat(leases.take(named("second", "uid-2"), seen, later)).isTrue();

    Lease taken = stored();
    assertThat(taken.getSpec().getHolderIdentity()).isEqualTo("uid-2");
    assertThat(taken.getMetadata().getAnnotations()).containsEntry("lockstep.dev/holder", "second");
    assertThat(taken.getSpec().getLeaseTransitions()).isEqualTo(1);
  }

  @Test
  void aLeaseChangedByAnotherWriterSinceItWasReadIsNotOverwritten() {
    leases.take(named("first", "uid-1"), Optional.empty(), T0);
    Instant later = T0.plus(KubernetesDatabaseLeases.DURATION).plusSeconds(1);
    Optional<LeaseRecord> seen = leases.read("shop", "orders", later);
    // Another writer changes it; this cache has not seen that yet.
    client.leases().inNamespace("shop").withName("lockstep-db-orders")
        .edit(l -> {
          l.getSpec().setLeaseTransitions(7);
          return l;
        });

    assertThat(leases.take(named("second", "uid-2"), seen, later)).as("409 from the API server").isFalse();
    assertThat(stored().getSpec().getHolderIdentity()).isEqualTo("uid-1");
  }

  @Test
  void aReadOlderThanTheCacheIsRefusedWithoutARequest() {
    leases.take(named("first", "uid-1"), Optional.empty(), T0);
    Instant later = T0.plus(KubernetesDatabaseLeases.DURATION).plusSeconds(1);
    LeaseRecord stale = new LeaseRecord("uid-1", "first", true, true, "stale-version");
    world.requestLog().start();

    assertThat(leases.take(named("second", "uid-2"), Optional.of(stale), later)).isFalse();

    world.requestLog().stop();
    assertThat(world.requestLog().requests()).isEmpty();
  }

  @Test
  void aLeaseDeletedSinceItWasReadIsNotRecreatedByAnUpdate() {
    leases.take(named("first", "uid-1"), Optional.empty(), T0);
    Instant later = T0.plus(KubernetesDatabaseLeases.DURATION).plusSeconds(1);
    Optional<LeaseRecord> seen = leases.read("shop", "orders", later);
    client.leases().inNamespace("shop").withName("lockstep-db-orders").delete();

    assertThat(leases.take(named("second", "uid-2"), seen, later)).as("404 from the API server").isFalse();
    assertThat(stored()).isNull();
  }

  @Test
  void onlyTheHolderReleases() {
    SchemaMigration first = named("first", "uid-1");
    leases.take(first, Optional.empty(), T0);

    leases.release(named("second", "uid-2"));
    assertThat(stored()).as("not the holder: kept").isNotNull();

    leases.release(first);
    assertThat(stored()).as("released by its holder").isNull();
  }

  @Test
  void readingServesTheCacheAndAsksTheApiServerNothing() {
    leases.take(named("first", "uid-1"), Optional.empty(), T0);
    world.requestLog().start();

    Optional<LeaseRecord> held = leases.read("shop", "orders", T0);
    Optional<LeaseRecord> none = leases.read("shop", "inventory", T0);

    world.requestLog().stop();
    assertThat(world.requestLog().requests()).isEmpty();
    assertThat(held).isPresent();
    assertThat(none).isEmpty();
  }
}
