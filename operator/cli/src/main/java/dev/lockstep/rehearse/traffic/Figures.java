package dev.lockstep.rehearse.traffic;

import java.util.Map;

/**
 * What a set of requests felt: how many, how many failed and why, and the latency measured from when
 * each request was due (so a stall counts for every request that waited behind it).
 *
 * @param failures by {@link FailureKind#label()}, only kinds that happened
 * @param p50Ms median latency of the answered or timed-out requests, {@code 0} when there were none
 */
public record Figures(long requests, long failed, Map<String, Long> failures, double p50Ms, double p99Ms,
    double maxMs) {}
