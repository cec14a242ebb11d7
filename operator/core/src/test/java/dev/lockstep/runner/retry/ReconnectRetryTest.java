package dev.lockstep.runner.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.runner.RunnerFailure;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReconnectRetryTest {

  private final List<Duration> sleeps = new ArrayList<>();
  private final List<String> log = new ArrayList<>();
  private final AtomicInteger runs = new AtomicInteger();
  private final AtomicInteger reruns = new AtomicInteger();

  private ReconnectRetry retry(int max) {
    return new ReconnectRetry(max, n -> Duration.ofMillis(1000L * n), sleeps::add, log::add);
  }

  @Test
  void aTerminatedSessionOrARestartingServerRunsTheCommandAgainOnANewConnection() throws Exception {
    ReconnectRetry retry = retry(3);

    retry.run(() -> {
      switch (runs.incrementAndGet()) {
        case 1 -> throw RunnerFailure.databaseWork("V2__x.sql failed",
            new IllegalStateException("flyway", new SQLException("terminating connection due to administrator command",
                "57P01")));
        case 2 -> throw new SQLException("Connection to localhost:5432 refused", "08001");
        default -> {
          // the database is back
        }
      }
    }, reruns::incrementAndGet);

    assertThat(runs).hasValue(3);
    assertThat(reruns).hasValue(2);
    assertThat(retry.reconnects()).isEqualTo(2);
    assertThat(sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    assertThat(log.get(0)).isEqualTo("lost the connection to the database: terminating connection due to"
        + " administrator command (SQLSTATE 57P01); running again on a new connection (1 of 3) in 1000 ms");
  }

  @Test
  void aDatabaseThatStaysAwayFailsWithTheLastErrorOnceTheBudgetIsSpent() {
    ReconnectRetry retry = retry(2);
    SQLException refused = new SQLException("Connection refused", "08001");

    assertThatThrownBy(() -> retry.run(() -> {
      runs.incrementAndGet();
      throw refused;
    }, reruns::incrementAndGet)).isSameAs(refused);

    assertThat(runs).hasValue(3);
    assertThat(retry.reconnects()).isEqualTo(2);
  }

  @Test
  void otherFailuresAndLockConflictsAreNotRunAgain() {
    ReconnectRetry retry = retry(5);
    SQLException syntax = new SQLException("syntax error at or near \"SELEC\"", "42601");
    SQLException lock = new SQLException("lock timeout", "55P03");

    assertThatThrownBy(() -> retry.run(() -> {
      runs.incrementAndGet();
      throw syntax;
    }, reruns::incrementAndGet)).isSameAs(syntax);
    assertThatThrownBy(() -> retry.run(() -> {
      runs.incrementAndGet();
      throw lock;
    }, reruns::incrementAndGet)).isSameAs(lock);

    assertThat(runs).hasValue(2);
    assertThat(reruns).hasValue(0);
    assertThat(sleeps).isEmpty();
  }
}
