package dev.lockstep.gates;

import java.time.Instant;

/**
 * What the guards saw: the breach, if any, and since when the Prometheus guard has been out of
 * bounds (kept in status, so its {@code for} window survives restarts).
 *
 * @param breach what is wrong, in a sentence, or {@code null} when every guard holds
 * @param prometheusOutOfBoundsSince since when the Prometheus guard's value has been out of bounds,
 *     or {@code null} while it is within them
 */
public record GuardReading(String breach, Instant prometheusOutOfBoundsSince) {

  public static final GuardReading HOLDING = new GuardReading(null, null);
}
