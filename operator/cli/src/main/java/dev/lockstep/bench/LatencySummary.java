package dev.lockstep.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The requests of one phase: how many, how many failed, and their latency, in milliseconds, from
 * the moment each request was due.
 *
 * @param slowestDueNanos when the slowest request was due, on the {@link System#nanoTime()} clock
 * @param errors how often each kind of error occurred, by its one-line description
 */
record LatencySummary(
    long requests,
    long failed,
    double p50Millis,
    double p99Millis,
    double maxMillis,
    long slowestDueNanos,
    Map<String, Long> errors) {

  LatencySummary {
    errors = Collections.unmodifiableMap(new LinkedHashMap<>(errors));
  }
}
