package dev.lockstep.cli.kubectl;

import dev.lockstep.api.SchemaMigration;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;

/** SchemaMigrations with fixed statuses, from {@code src/test/resources/kubectl/fixtures}. */
final class Fixtures {

  /** The time every golden rendering is made at. */
  static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

  static final String WAITING_FOR_APPROVAL = "waiting-for-approval";
  static final String GATE_HELD = "gate-held";
  static final String BACKFILL_RUNNING = "backfill-running";
  static final String FAILED_MANUAL = "failed-manual";
  static final String ROLLING_BACK = "rolling-back";

  private Fixtures() {}

  static SchemaMigration load(String name) {
    try (InputStream yaml = Fixtures.class.getResourceAsStream("/kubectl/fixtures/" + name + ".yaml")) {
      if (yaml == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return Serialization.unmarshal(yaml, SchemaMigration.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
