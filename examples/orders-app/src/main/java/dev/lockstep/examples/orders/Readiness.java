package dev.lockstep.examples.orders;

/**
 * Whether the application can take traffic: only once it has read the schema version (the startup
 * check), and only while that version is one it supports with the flags it serves now.
 */
public record Readiness(boolean ready, String reason) {

  public static Readiness of(SchemaReading reading, SchemaRange supported) {
    if (!reading.checked()) {
      return new Readiness(false, "startup check: the schema version has not been read yet");
    }
    if (reading.error() != null) {
      return new Readiness(false, "cannot read the schema version: " + reading.error());
    }
    if (reading.version().isEmpty()) {
      return new Readiness(false, "the database has no schema version yet (nothing in flyway_schema_history);"
          + " this application supports " + supported);
    }
    SchemaVersion version = reading.version().get();
    if (!supported.contains(version)) {
      return new Readiness(false, "schema version " + version + " is outside what this application supports"
          + " with its flags as they are: " + supported);
    }
    return new Readiness(true, "schema version " + version + " is within " + supported);
  }
}
