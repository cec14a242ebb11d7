package dev.lockstep.examples.orders;

/**
 * The schema versions the application can run against, both ends included: what it answers on
 * {@code GET /lockstep/compat}. A range whose {@code min} is above its {@code max} holds no version.
 */
public record SchemaRange(SchemaVersion min, SchemaVersion max) {

  public boolean contains(SchemaVersion version) {
    return version.isAtLeast(min) && !max.isBefore(version);
  }

  public boolean isEmpty() {
    return max.isBefore(min);
  }

  @Override
  public String toString() {
    return isEmpty() ? "no version (" + min + "-" + max + ")" : min + "-" + max;
  }
}
