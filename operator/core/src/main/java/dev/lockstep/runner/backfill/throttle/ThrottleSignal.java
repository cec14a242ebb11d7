package dev.lockstep.runner.backfill.throttle;

import dev.lockstep.gates.Reading;

/** The value a throttle compares with its maximum, read afresh on each call. */
public interface ThrottleSignal {

  /** The value now, or why it cannot be read. */
  Reading<Double> read();

  /** What the value is, for messages, e.g. {@code SQL `SELECT ...`}. */
  String describe();
}
