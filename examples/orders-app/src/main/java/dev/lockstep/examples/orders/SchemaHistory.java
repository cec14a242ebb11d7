package dev.lockstep.examples.orders;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Which schema version the database is at, from Flyway's {@code flyway_schema_history}: the highest
 * version among the migrations applied successfully. A version that was undone has no row there any
 * more, so after a rollback this is the version rolled back to.
 */
public final class SchemaHistory {

  private SchemaHistory() {}

  /** The current version; empty when nothing was ever migrated (no history table, or no version in it). */
  public static Optional<SchemaVersion> currentVersion(Connection connection) throws SQLException {
    try (PreparedStatement exists = connection.prepareStatement("SELECT to_regclass('flyway_schema_history')");
        ResultSet table = exists.executeQuery()) {
      table.next();
      if (table.getString(1) == null) {
        return Optional.empty();
      }
    }
    // Versions are text and compare as numbers, so the highest is found here rather than by max().
    SchemaVersion highest = null;
    try (PreparedStatement select = connection.prepareStatement(
            "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        SchemaVersion version = SchemaVersion.parse(rows.getString(1));
        if (highest == null || highest.isBefore(version)) {
          highest = version;
        }
      }
    }
    return Optional.ofNullable(highest);
  }
}
