package dev.lockstep.queue;

import dev.lockstep.api.SchemaMigration;
import dev.lockstep.cache.CachedResources;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Database leases as {@code coordination.k8s.io/v1} Leases named {@code lockstep-db-<database>}, with
 * the holder's UID as {@code holderIdentity}. Every write carries the resourceVersion it read, so
 * two migrations racing for one lease cannot both win.
 *
 * <p>Leases are read from the informer's cache, and what this process writes is handed back to it,
 * so a renewal or a release is seen by the next reconcile without a GET. A cache that lags behind
 * another writer costs nothing but a retry: the write that follows carries the resourceVersion read,
 * and the API server refuses it (409, or 404 once the lease is gone).
 */
public final class KubernetesDatabaseLeases implements DatabaseLeases {

  /** A holder that stops renewing loses the lease after this long. */
  public static final Duration DURATION = Duration.ofSeconds(60);
  /** Renewing more often than this is wasted writes. */
  static final Duration RENEW_AFTER = Duration.ofSeconds(15);
  static final String HOLDER_NAME = "lockstep.dev/holder";
  static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  /** Every database lease carries this label; the lease informer selects by it. */
  public static final String SELECTOR = MANAGED_BY + "=lockstep";

  private static final Logger LOG = LoggerFactory.getLogger(KubernetesDatabaseLeases.class);

  private final KubernetesClient client;
  private final CachedResources<Lease> leases;

  /**
   * @param client writes leases
   * @param leases the leases labelled {@link #SELECTOR}, as the informer holds them
   */
  public KubernetesDatabaseLeases(KubernetesClient client, CachedResources<Lease> leases) {
    this.client = client;
    this.leases = leases;
  }

  /** The Lease's name for a database. */
  public static String leaseName(String database) {
    return "lockstep-db-" + database;
  }

  @Override
  public Optional<LeaseRecord> read(String namespace, String database, Instant now) {
    Lease lease = lease(namespace, database);
    if (lease == null || lease.getSpec() == null) {
      return Optional.empty();
    }
    Map<String, String> annotations = lease.getMetadata().getAnnotations();
    String name = annotations == null ? null : annotations.get(HOLDER_NAME);
    return Optional.of(new LeaseRecord(lease.getSpec().getHolderIdentity(), name, expired(lease, now), due(lease, now),
        lease.getMetadata().getResourceVersion()));
  }

  @Override
  public boolean take(SchemaMigration migration, Optional<LeaseRecord> seen, Instant now) {
    String namespace = migration.getMetadata().getNamespace();
    String database = migration.getSpec().getDatabase().getName();
    String uid = migration.getMetadata().getUid();
    try {
      if (seen.isEmpty()) {
        leases.created(client.resource(newLease(migration, now)).create());
        LOG.info("{}/{} took the lease of database {}", namespace, migration.getMetadata().getName(), database);
        return true;
      }
      boolean mine = uid.equals(seen.get().holderUid());
      if (mine && !seen.get().dueForRenewal()) {
        return true;
      }
      Lease lease = lease(namespace, database);
      if (lease == null || !lease.getMetadata().getResourceVersion().equals(seen.get().resourceVersion())) {
        return false; // it changed since the caller looked; the next reconcile looks again
      }
      Lease taken = new LeaseBuilder(lease)
          .editMetadata().addToAnnotations(HOLDER_NAME, migration.getMetadata().getName()).endMetadata()
          .editSpec()
          .withHolderIdentity(uid)
          .withLeaseDurationSeconds((int) DURATION.toSeconds())
          .withRenewTime(at(now))
          .withAcquireTime(mine ? lease.getSpec().getAcquireTime() : at(now))
          .withLeaseTransitions(transitions(lease) + (mine ? 0 : 1))
          .endSpec()
          .build();
      leases.updated(client.resource(taken).update(), lease);
      if (!mine) {
        LOG.info("{}/{} took over the lease of database {} from {}", namespace, migration.getMetadata().getName(),
            database, seen.get().holderName());
      }
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT || e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        return false; // another writer changed or removed it first; the next reconcile reads it again
      }
      throw e;
    }
  }

  @Override
  public void release(SchemaMigration migration) {
    var database = migration.getSpec().getDatabase();
    if (database == null || database.getName() == null) {
      return;
    }
    Lease lease = lease(migration.getMetadata().getNamespace(), database.getName());
    if (lease != null && lease.getSpec() != null
        && migration.getMetadata().getUid().equals(lease.getSpec().getHolderIdentity())) {
      try {
        // Only the version read: a lease taken over since then (after it expired) is not ours to delete.
        client.resource(lease).lockResourceVersion(lease.getMetadata().getResourceVersion()).delete();
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
        LOG.info("{}/{}: the lease of database {} changed since it was read; it is left to expire",
            migration.getMetadata().getNamespace(), migration.getMetadata().getName(), database.getName());
        return;
      }
      LOG.info("{}/{} released the lease of database {}", migration.getMetadata().getNamespace(),
          migration.getMetadata().getName(), database.getName());
    }
  }

  private Lease lease(String namespace, String database) {
    return leases.get(namespace, leaseName(database)).orElse(null);
  }

  private static Lease newLease(SchemaMigration migration, Instant now) {
    return new LeaseBuilder()
        .withNewMetadata()
        .withName(leaseName(migration.getSpec().getDatabase().getName()))
        .withNamespace(migration.getMetadata().getNamespace())
        .addToLabels(MANAGED_BY, "lockstep")
        .addToAnnotations(HOLDER_NAME, migration.getMetadata().getName())
        // Deleting the holder deletes its lease in a cluster; expiry covers the rest.
        .withOwnerReferences(new OwnerReferenceBuilder()
            .withApiVersion(migration.getApiVersion()).withKind(migration.getKind())
            .withName(migration.getMetadata().getName()).withUid(migration.getMetadata().getUid()).build())
        .endMetadata()
        .withNewSpec()
        .withHolderIdentity(migration.getMetadata().getUid())
        .withLeaseDurationSeconds((int) DURATION.toSeconds())
        .withAcquireTime(at(now))
        .withRenewTime(at(now))
        .withLeaseTransitions(0)
        .endSpec()
        .build();
  }

  private static boolean expired(Lease lease, Instant now) {
    ZonedDateTime renewed = lease.getSpec().getRenewTime();
    Integer seconds = lease.getSpec().getLeaseDurationSeconds();
    if (renewed == null) {
      return true;
    }
    Duration duration = seconds == null ? DURATION : Duration.ofSeconds(seconds);
    return !now.isBefore(renewed.toInstant().plus(duration));
  }

  private static boolean due(Lease lease, Instant now) {
    ZonedDateTime renewed = lease.getSpec().getRenewTime();
    return renewed == null || !now.isBefore(renewed.toInstant().plus(RENEW_AFTER));
  }

  private static int transitions(Lease lease) {
    Integer t = lease.getSpec().getLeaseTransitions();
    return t == null ? 0 : t;
  }

  private static ZonedDateTime at(Instant instant) {
    return ZonedDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
