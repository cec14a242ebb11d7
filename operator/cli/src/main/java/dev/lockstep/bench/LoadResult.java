package dev.lockstep.bench;

import java.time.Duration;

/**
 * What the load saw while it was recording.
 *
 * @param recorded how long it recorded: from {@link LoadGenerator#startRecording()} to the stop
 * @param abortReason why it stopped on its own (a request waited too long), or null
 */
record LoadResult(LatencySummary latency, Duration recorded, String abortReason) {}
