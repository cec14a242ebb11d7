package dev.lockstep.bench;

import java.time.Duration;
import java.util.List;

/**
 * What the load saw while it was recording.
 *
 * @param recorded how long it recorded: from {@link LoadGenerator#startRecording()} to the stop
 * @param abortReason why it stopped on its own (a request waited too long), or null
 * @param recorders each thread's requests, to summarise a stretch of the recording
 */
record LoadResult(LatencySummary latency, Duration recorded, String abortReason, List<LatencyRecorder> recorders) {

  LoadResult(LatencySummary latency, Duration recorded, String abortReason) {
    this(latency, recorded, abortReason, List.of());
  }

  /** The recorded requests due from {@code fromNanos} to {@code toNanos} (System.nanoTime). */
  LatencySummary dueWithin(long fromNanos, long toNanos) {
    return LatencyRecorder.mergeDueWithin(recorders, fromNanos, toNanos);
  }
}
