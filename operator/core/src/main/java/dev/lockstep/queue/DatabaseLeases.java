package dev.lockstep.queue;

import dev.lockstep.api.SchemaMigration;
import java.time.Instant;
import java.util.Optional;

/**
 * One lease per database and namespace: whoever holds it may change the database. A holder renews
 * it while it runs and gives it back when it ends; a lease whose holder vanished is taken over once
 * it expires.
 */
public interface DatabaseLeases {

  /** The lease of {@code database} as it stands, or empty when there is none. */
  Optional<LeaseRecord> read(String namespace, String database, Instant now);

  /**
   * Takes the lease for {@code migration} — creating it, taking it over, or renewing it — with
   * optimistic locking against the record the caller saw.
   *
   * @param seen what the caller read, or empty when there was no lease
   * @return false when another writer got there first
   */
  boolean take(SchemaMigration migration, Optional<LeaseRecord> seen, Instant now);

  /** Gives the lease back if {@code migration} holds it. */
  void release(SchemaMigration migration);

  /**
   * A lease as read.
   *
   * @param holderUid the UID of the holding migration
   * @param holderName its name, for messages
   * @param expired whether its holder stopped renewing it for longer than its duration
   * @param dueForRenewal whether the holder should renew it now
   * @param resourceVersion what an update must match
   */
  record LeaseRecord(String holderUid, String holderName, boolean expired, boolean dueForRenewal,
      String resourceVersion) {}
}
