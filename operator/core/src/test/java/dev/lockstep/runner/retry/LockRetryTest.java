package dev.lockstep.runner.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.runner.RunnerFailure;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LockRetryTest {

  private final List<Duration> sleeps = new ArrayList<>();
  private final List<String> log = new ArrayList<>();
  private final AtomicInteger attempts = new AtomicInteger();

  private LockRetry retry(int maxRetries) {
    return new LockRetry(maxRetries, retry -> Duration.ofMillis(100L * retry), sleeps::add, log::add);
  }

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  @Test
  void retriesLockTimeoutsUntilTheWorkSucceeds() throws Exception {
    LockRetry retry = retry(5);

    String result = retry.run("V2__x.sql", () -> {
      if (attempts.incrementAndGet() <= 2) {
        throw new SQLException("canceling statement due to lock timeout", "55P03");
      }
      return "done";
    });

    assertThat(result).isEqualTo("done");
    assertThat(attempts).hasValue(3);
    assertThat(retry.retries()).isEqualTo(2);
    assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    assertThat(retry.timeLost()).isPositive();
    assertThat(log).containsExactly(
        "V2__x.sql: canceling statement due to lock timeout (SQLSTATE 55P03); retry 1 of 5 in 100 ms",
        "V2__x.sql: canceling statement due to lock timeout (SQLSTATE 55P03); retry 2 of 5 in 200 ms");
  }

  @Test
  void findsTheLockConflictInsideWrappingExceptionsAndRetriesDeadlocksToo() throws Exception {
    LockRetry retry = retry(5);

    retry.run("batch", () -> {
      switch (attempts.incrementAndGet()) {
        case 1 -> throw new IllegalStateException("flyway", new SQLException("lock timeout", "55P03"));
        case 2 -> throw new SQLException("deadlock detected", "40P01");
        default -> {
          return null;
        }
      }
    });

    assertThat(retry.retries()).isEqualTo(2);
  }

  @Test
  void otherFailuresAreNotRetried() {
    LockRetry retry = retry(5);
    SQLException syntax = new SQLException("syntax error", "42601");

    assertThatThrownBy(() -> retry.run("V2__x.sql", () -> {
      attempts.incrementAndGet();
      throw syntax;
    })).isSameAs(syntax);
    assertThat(attempts).hasValue(1);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void givesUpAfterTheBudgetOfOneUnitIsSpent() throws Exception {
    LockRetry retry = retry(2);
    retry.run("first unit", () -> {
      if (attempts.incrementAndGet() == 1) {
        throw new SQLException("lock timeout", "55P03");
      }
      return null;
    });
    attempts.set(0);

    assertThatThrownBy(() -> retry.run("second unit", () -> {
      attempts.incrementAndGet();
      throw new SQLException("lock timeout", "55P03");
    }))
        .isInstanceOf(LockRetriesExhausted.class)
        .hasMessage("second unit: still blocked after 2 lock retries")
        .hasCauseInstanceOf(SQLException.class);
    // The second unit had its own budget: a first attempt and two retries.
    assertThat(attempts).hasValue(3);
    assertThat(retry.retries()).isEqualTo(3);
  }

  @Test
  void anInterruptDuringTheBackoffStopsTheRetries() {
    LockRetry retry = new LockRetry(5, r -> Duration.ofSeconds(1), d -> {
      throw new InterruptedException();
    }, log::add);

    assertThatThrownBy(() -> retry.run("batch", () -> {
      throw new SQLException("lock timeout", "55P03");
    }))
        .isInstanceOf(RunnerFailure.class)
        .hasMessage("interrupted while waiting to retry after a lock conflict");
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
  }
}
