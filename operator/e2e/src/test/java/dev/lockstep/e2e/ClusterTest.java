package dev.lockstep.e2e;

import dev.lockstep.world.database.EmbeddedDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * An end-to-end test: one embedded PostgreSQL per class (it takes seconds to start), a fresh local
 * cluster with a running operator and a database of its own per test.
 */
abstract class ClusterTest {

  static EmbeddedDatabase postgres;
  ClusterFixture world;

  @BeforeAll
  static void startPostgres() {
    postgres = EmbeddedDatabase.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres.close();
  }

  @BeforeEach
  void startCluster() {
    world = new ClusterFixture(postgres);
  }

  @AfterEach
  void stopCluster() {
    world.close();
  }
}
