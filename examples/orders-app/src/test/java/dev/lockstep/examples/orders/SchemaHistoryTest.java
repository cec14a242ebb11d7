package dev.lockstep.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SchemaHistoryTest {

  private static OrdersDatabase postgres;

  @BeforeAll
  static void start() throws Exception {
    postgres = OrdersDatabase.shared();
  }

  private static Optional<SchemaVersion> current(OrdersDatabase.Database db) throws Exception {
    try (Connection connection = db.connections().open()) {
      return SchemaHistory.currentVersion(connection);
    }
  }

  @Test
  void anEmptyDatabaseHasNoVersion() throws Exception {
    assertThat(current(postgres.create("0"))).isEmpty();
  }

  @Test
  void theVersionIsTheHighestAppliedOne() throws Exception {
    var db = postgres.create("3");

    assertThat(current(db)).contains(SchemaVersion.parse("3"));
  }

  @Test
  void versionsCompareAsNumbersAndFailedOrUndoneOnesDoNotCount() throws Exception {
    var db = postgres.create("4");
    // An undo deletes the version's row; a migration that failed outside a transaction leaves success false.
    db.execute("DELETE FROM flyway_schema_history WHERE version = '4'");
    db.execute("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
        + " installed_by, execution_time, success) VALUES (100, '10', 'broken', 'SQL', 'V10__broken.sql',"
        + " 'test', 1, false)");
    assertThat(current(db)).contains(SchemaVersion.parse("3"));

    db.execute("UPDATE flyway_schema_history SET success = true WHERE version = '10'");
    assertThat(current(db)).contains(SchemaVersion.parse("10"));
  }
}
