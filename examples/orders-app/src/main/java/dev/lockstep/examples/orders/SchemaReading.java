package dev.lockstep.examples.orders;

import java.util.Optional;

/**
 * The outcome of the latest look at the database's schema version.
 *
 * @param checked whether a look has finished at all (false only before the startup check)
 * @param version the version found; empty when the database has none yet or could not be read
 * @param error why the version could not be read, or null
 */
public record SchemaReading(boolean checked, Optional<SchemaVersion> version, String error) {

  static SchemaReading notYet() {
    return new SchemaReading(false, Optional.empty(), null);
  }

  static SchemaReading of(Optional<SchemaVersion> version) {
    return new SchemaReading(true, version, null);
  }

  static SchemaReading failed(String error) {
    return new SchemaReading(true, Optional.empty(), error);
  }

  /** The amount columns at the version read; before any version, those of the oldest one this app knows. */
  public Columns columns() {
    return OrdersSchema.columnsAt(version.orElse(OrdersSchema.CREATED));
  }
}
