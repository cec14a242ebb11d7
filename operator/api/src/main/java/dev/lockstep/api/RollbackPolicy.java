package dev.lockstep.api;

/** What happens when a step fails or a guard is breached. */
public enum RollbackPolicy {
  Automatic,
  Manual
}
