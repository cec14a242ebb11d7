package dev.lockstep.bench;

/**
 * A figure the project aims for, and whether this run reached it.
 *
 * @param key the goal's name in the JSON line
 * @param description what the goal asks, for the PASS/MISS line
 * @param measured the figures it was judged on
 */
record Goal(String key, String description, boolean met, String measured) {

  String line() {
    return (met ? "PASS" : "MISS") + "  " + description + ": " + measured;
  }
}
