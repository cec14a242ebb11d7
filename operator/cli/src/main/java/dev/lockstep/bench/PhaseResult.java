package dev.lockstep.bench;

import java.time.Duration;
import java.util.List;

/**
 * One phase of the online-safety benchmark: the load, and the change applied meanwhile.
 *
 * @param name {@code baseline}, {@code naive} or {@code lockstep}
 * @param description what the phase applied, for the report
 * @param change how long applying the change took; null for the baseline, which applies none
 * @param lockRetries the runner's retries after lock conflicts, over all its commands
 * @param longestBatchMillis the slowest backfill batch, when the phase backfilled; else null
 * @param slowestDueAt when the slowest request was due, from the start of the change (negative:
 *     before it)
 * @param slowestDuring the runner command that was running then, e.g. {@code migrate --to 6}; null
 *     when none was
 * @param byCommand the requests due while each runner command of the change ran, in order
 */
record PhaseResult(
    String name,
    String description,
    Duration change,
    LoadResult load,
    int lockRetries,
    Long longestBatchMillis,
    Duration slowestDueAt,
    String slowestDuring,
    List<CommandLatency> byCommand) {

  /** The requests due while one runner command ran, e.g. {@code backfill}. */
  record CommandLatency(String command, LatencySummary latency) {}

  LatencySummary latency() {
    return load.latency();
  }
}
