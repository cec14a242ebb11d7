package dev.lockstep.jobs;

import java.util.Optional;

/** How far a running backfill has got, as its runner Job's pod tells it. */
public interface BackfillProgress {

  /**
   * A short description such as {@code 12000/52000 rows, 4100 rows/s}, with {@code , throttled:
   * <why>} while the step's throttle holds the batches back, or empty when it cannot be told (the pod
   * has not started, or does not answer).
   *
   * @param job the backfill's runner Job
   */
  Optional<String> describe(String namespace, String job);
}
