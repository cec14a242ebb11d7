package dev.lockstep.jobs;

import dev.lockstep.api.SchemaMigration;
import java.util.Optional;

/** How far a running backfill has got, as its runner records it in the database. */
public interface BackfillProgress {

  /**
   * A short description such as {@code 12000/52000 rows, 4100 rows/s}, with {@code , throttled:
   * <why>} while the step's throttle holds the batches back, or empty when it cannot be told (not started yet, or the database cannot be reached from the operator).
   */
  Optional<String> describe(SchemaMigration migration, String checkpoint);
}
