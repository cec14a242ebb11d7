package dev.lockstep.runner.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BatchSizerTest {

  private static final long MS = 1_000_000;
  private static final Duration TARGET = Duration.ofMillis(50);

  @Test
  void growsAtMostOneAndAHalfFoldPerBatchWhileBatchesAreFast() {
    BatchSizer sizer = new BatchSizer(1000, TARGET, 100, 100_000);

    sizer.batchTook(1000, 5 * MS); // 10x faster than the target
    assertThat(sizer.size()).isEqualTo(1500);
    sizer.batchTook(1500, 7 * MS);
    assertThat(sizer.size()).isEqualTo(2250);
  }

  @Test
  void settlesOnTheSizeThatFillsTheTargetTime() {
    BatchSizer sizer = new BatchSizer(1000, TARGET, 100, 100_000);

    // The table changes 100 rows per millisecond: 5000 rows fit in 50 ms.
    for (int i = 0; i < 20; i++) {
      int size = sizer.size();
      sizer.batchTook(size, size * MS / 100);
    }

    assertThat(sizer.size()).isEqualTo(5000);
  }

  @Test
  void aBatchOverTheTargetShrinksTheNextOneAtOnce() {
    BatchSizer sizer = new BatchSizer(1000, TARGET, 100, 100_000);
    for (int i = 0; i < 10; i++) {
      int size = sizer.size();
      sizer.batchTook(size, size * MS / 100); // settles at 5000
    }

    sizer.batchTook(5000, 200 * MS); // the server slowed down four times

    assertThat(sizer.size()).isEqualTo(1250);
  }

  /**
   * The speed jitters by up to 2.5 times from batch to batch (seeded, so the same every run): sized
   * on the slowest recent speed, no batch reaches twice the target. Sized on a smoothed average (the
   * sizer before), the same speeds gave batches of 104 to 112 ms, as the benchmark measured.
   */
  @Test
  void aJitteringSpeedKeepsEveryBatchUnderTwiceTheTarget() {
    BatchSizer sizer = new BatchSizer(1000, TARGET, 100, 100_000);
    java.util.Random random = new java.util.Random(42);
    long longest = 0;
    long total = 0;
    int batches = 400;
    for (int i = 0; i < batches; i++) {
      double rowsPerMs = 100 * (0.4 + random.nextDouble() * 0.6); // 40 to 100 rows per millisecond
      int size = sizer.size();
      long nanos = Math.round(size / rowsPerMs * MS);
      sizer.batchTook(size, nanos);
      if (i >= 10) {
        longest = Math.max(longest, nanos);
        total += nanos;
      }
    }

    assertThat(longest).isLessThan(2 * TARGET.toNanos());
    // Still most of the target on average: the rate is not given away.
    assertThat(total / (batches - 10)).isGreaterThan(TARGET.toNanos() * 6 / 10);
  }

  @Test
  void staysWithinTheMinimumAndTheMaximum() {
    BatchSizer slow = new BatchSizer(500, TARGET, 200, 800);
    slow.batchTook(500, 10_000 * MS);
    BatchSizer fast = new BatchSizer(500, TARGET, 200, 800);
    fast.batchTook(500, MS);
    fast.batchTook(fast.size(), MS);

    assertThat(slow.size()).isEqualTo(200);
    assertThat(fast.size()).isEqualTo(800);
  }

  @Test
  void aZeroTargetKeepsEveryBatchAtTheFirstSize() {
    BatchSizer fixed = new BatchSizer(300, Duration.ZERO, 1, 300);
    fixed.batchTook(300, 900 * MS);
    fixed.batchTook(300, MS);

    assertThat(fixed.adaptive()).isFalse();
    assertThat(fixed.size()).isEqualTo(300);
  }

  @Test
  void sizingOptionsAreCheckedWithTheOptionsNamed() {
    assertThatThrownBy(() -> new BatchSizing(1000, TARGET, 2000, 500))
        .hasMessage("--max-batch-size 500 is below --min-batch-size 2000; give a maximum at least as large as the minimum");
    assertThatThrownBy(() -> new BatchSizing(50, TARGET, 100, 1000))
        .hasMessageContaining("--batch-size 50 is outside --min-batch-size 100 and --max-batch-size 1000");
    assertThat(BatchSizing.of(50, TARGET, null, null)).isEqualTo(new BatchSizing(50, TARGET, 50, 100_000));
    assertThat(BatchSizing.of(500_000, TARGET, null, null).max()).isEqualTo(500_000);
  }

  @Test
  void batchTimesGiveNearestRankPercentiles() {
    BatchTimes times = new BatchTimes();
    for (int i = 1; i <= 200; i++) {
      times.add(i * MS);
    }

    assertThat(times.percentileMillis(50)).isEqualTo(100);
    assertThat(times.percentileMillis(99)).isEqualTo(198);
    assertThat(times.longestMillis()).isEqualTo(200);
    assertThat(times.describe()).isEqualTo("p50 100 ms, p99 198 ms, max 200 ms");
  }
}
