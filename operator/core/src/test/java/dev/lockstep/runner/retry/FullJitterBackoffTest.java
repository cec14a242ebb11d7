package dev.lockstep.runner.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class FullJitterBackoffTest {

  private final FullJitterBackoff backoff = FullJitterBackoff.withDefaults();

  @Test
  void theCeilingDoublesFromTheBaseUpToTheCap() {
    assertThat(backoff.ceilingBefore(1)).isEqualTo(Duration.ofMillis(200));
    assertThat(backoff.ceilingBefore(2)).isEqualTo(Duration.ofMillis(400));
    assertThat(backoff.ceilingBefore(3)).isEqualTo(Duration.ofMillis(800));
    assertThat(backoff.ceilingBefore(5)).isEqualTo(Duration.ofMillis(3200));
    assertThat(backoff.ceilingBefore(6)).isEqualTo(Duration.ofSeconds(5));
    assertThat(backoff.ceilingBefore(1000)).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void delaysSpreadOverTheWholeRangeFromZeroToTheCeiling() {
    FullJitterBackoff seeded =
        new FullJitterBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), new Random(42));
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 2000; i++) {
      long delay = seeded.delayBefore(3).toMillis();
      assertThat(delay).isBetween(0L, 800L);
      min = Math.min(min, delay);
      max = Math.max(max, delay);
    }
    assertThat(min).isLessThan(80); // full jitter: close to zero happens
    assertThat(max).isGreaterThan(720); // and close to the ceiling
  }

  @Test
  void reachesTheCeilingExactly() {
    RandomGenerator highest = new RandomGenerator() {
      @Override
      public long nextLong() {
        return 0;
      }

      @Override
      public long nextLong(long bound) {
        return bound - 1;
      }
    };
    FullJitterBackoff top = new FullJitterBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), highest);

    assertThat(top.delayBefore(2)).isEqualTo(Duration.ofMillis(400));
    assertThat(top.delayBefore(30)).isEqualTo(Duration.ofSeconds(5));
  }
}
