package dev.lockstep.runner.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BatchSizerTest {

  private static final long MS = 1_000_000;
  private static final Duration TARGET = Duration.ofMillis(50);

  @Test
  void growsAtMostTwofoldPerBatchWhileBatchesAreFast() {
    BatchSizer sizer = new BatchSizer(1000, TARGET, 100, 100_000);

    sizer.batchTook(1000, 5 * MS); // 10x faster than the target
    assertThat(sizer.size()).isEqualTo(2000);
    sizer.batchTook(2000, 10 * MS);
    assertThat(sizer.size()).isEqualTo(4000);
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
