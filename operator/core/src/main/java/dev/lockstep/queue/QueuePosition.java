package dev.lockstep.queue;

import dev.lockstep.api.Phase;
import java.util.List;
import java.util.Map;

/**
 * Where a migration stands in the line for its database, as observed before deciding.
 *
 * @param dependencies the phase of each {@code spec.dependsOn} entry; {@code null} for one that does
 *     not exist, or whose phase is not known yet
 * @param missingDependencies {@code dependsOn} entries that name no SchemaMigration
 * @param cycle the names around a {@code dependsOn} cycle this migration is part of, or empty
 * @param holder the migration that holds the database's lease, or {@code null} when the lease is
 *     free, expired, or held by this migration
 * @param aheadInLine an older migration of the same database that is also ready to run and so goes
 *     first, or {@code null}
 */
public record QueuePosition(
    Map<String, Phase> dependencies,
    List<String> missingDependencies,
    List<String> cycle,
    String holder,
    String aheadInLine) {

  /** Nothing stands in the way. */
  public static QueuePosition clear() {
    return new QueuePosition(Map.of(), List.of(), List.of(), null, null);
  }
}
