package dev.lockstep.world.kubelet;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Times as the API server stores them: RFC 3339, UTC, whole seconds. */
final class Timestamps {

  private Timestamps() {}

  static String now() {
    return format(Instant.now());
  }

  static String format(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static Instant parse(String timestamp) {
    return Instant.parse(timestamp);
  }
}
