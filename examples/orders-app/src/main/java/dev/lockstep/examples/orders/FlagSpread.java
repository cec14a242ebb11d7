package dev.lockstep.examples.orders;

/**
 * What a boolean flag gives across all of the application's traffic: the same value to every request,
 * or a value that depends on the request (a targeting rule, such as a percent rollout).
 */
public enum FlagSpread {
  OFF_EVERYWHERE,
  ON_EVERYWHERE,
  VARIES;

  /** Whether some request may get {@code true}. */
  public boolean mayBeOn() {
    return this != OFF_EVERYWHERE;
  }

  /** Whether some request may get {@code false}. */
  public boolean mayBeOff() {
    return this != ON_EVERYWHERE;
  }
}
