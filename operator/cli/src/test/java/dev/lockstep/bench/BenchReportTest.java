package dev.lockstep.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Ratios and goals are computed from the measured figures, and the text ends with the JSON line. */
class BenchReportTest {

  private static final BenchSettings SETTINGS = BenchSettings.of(1_000, 2, 100, Duration.ofSeconds(2), null);
  private static final BenchEnvironment ENVIRONMENT =
      new BenchEnvironment("PostgreSQL 14.22", "embedded", "off", 2, 3.5, 1.25);

  private static final PhaseResult BASELINE = phase("baseline", null,
      new LatencySummary(1_000, 0, 1.0, 5.0, 10.0, 0, Map.of()), null);
  private static final PhaseResult NAIVE = phase("naive", Duration.ofSeconds(3),
      new LatencySummary(900, 0, 2.0, 500.0, 3_000.0, 0, Map.of()), null);

  @Test
  void computesRatiosToTheBaselineAndJudgesEveryGoal() throws Exception {
    // One UPDATE: 1,000 rows in 100 ms; batched: 1,000 rows in 250 ms, so 0.4 of the rate.
    BackfillComparison backfill = new BackfillComparison(1_000, 100.0, 250, 2, 90, 118, 120);
    PhaseResult lockstep = phase("lockstep", Duration.ofSeconds(4),
        new LatencySummary(1_000, 1, 1.5, 10.0, 2_010.0, 0,
            Map.of("canceling statement due to lock timeout (SQLSTATE 55P03)", 1L)), 40L);

    BenchReport report = new BenchReport(SETTINGS, ENVIRONMENT, List.of(backfill), BASELINE, NAIVE, lockstep);
    JsonNode json = new ObjectMapper().readTree(report.json());

    assertThat(json.path("backfill").path("singleUpdateRowsPerSec").asLong()).isEqualTo(10_000);
    assertThat(json.path("backfill").path("batchedRowsPerSec").asLong()).isEqualTo(4_000);
    assertThat(json.path("backfill").path("rateRatio").asDouble()).isEqualTo(0.4);
    assertThat(json.path("backfill").path("batchP50Ms").asLong()).isEqualTo(90);
    assertThat(json.path("backfill").path("batchP99Ms").asLong()).isEqualTo(118);
    assertThat(json.path("backfillSweep")).hasSize(1);
    assertThat(json.path("batchSize").isNull()).isTrue();
    assertThat(json.path("batchTimeMs").asLong()).isEqualTo(50);
    assertThat(json.path("naive").path("p50Ratio").asDouble()).isEqualTo(2.0);
    assertThat(json.path("naive").path("p99Ratio").asDouble()).isEqualTo(100.0);
    assertThat(json.path("naive").path("maxRatio").asDouble()).isEqualTo(300.0);
    assertThat(json.path("lockstep").path("byCommand")).hasSize(1);
    assertThat(json.path("lockstep").path("byCommand").get(0).path("command").asText()).isEqualTo("migrate --to 2");
    assertThat(json.path("lockstep").path("byCommand").get(0).path("p99Ms").asDouble()).isEqualTo(10.0);
    assertThat(json.path("baseline").has("byCommand")).isFalse();
    assertThat(json.path("lockstep").path("errors").path("canceling statement due to lock timeout (SQLSTATE 55P03)")
        .asLong()).isEqualTo(1);
    assertThat(json.path("goals").path("backfillAtLeastHalfTheUpdateRate").asBoolean()).isFalse();
    assertThat(json.path("goals").path("everyBatchUnder100Ms").asBoolean()).isFalse();
    assertThat(json.path("goals").path("lockstepNoFailedRequests").asBoolean()).isFalse();
    // p99 10 ms is 2x the baseline's 5 ms; max 2,010 ms is far over the baseline's 10 ms + 100 ms.
    assertThat(json.path("goals").path("lockstepP99Within1.5xBaseline").asBoolean()).isFalse();
    assertThat(json.path("goals").path("lockstepMaxWithinBaselinePlus100Ms").asBoolean()).isFalse();
  }

  @Test
  void theLatencyGoalsAllowHalfTheBaselineP99AndAHundredMillisecondsOverItsMax() {
    BackfillComparison fast = new BackfillComparison(1_000, 100.0, 150, 2, 40, 55, 60);
    PhaseResult within = phase("lockstep", Duration.ofSeconds(4),
        new LatencySummary(1_000, 0, 1.0, 7.5, 110.0, 0, Map.of()), 50L);
    PhaseResult over = phase("lockstep", Duration.ofSeconds(4),
        new LatencySummary(1_000, 0, 1.0, 7.6, 110.1, 0, Map.of()), 50L);

    BenchReport passes = new BenchReport(SETTINGS, ENVIRONMENT, List.of(fast), BASELINE, NAIVE, within);
    BenchReport misses = new BenchReport(SETTINGS, ENVIRONMENT, List.of(fast), BASELINE, NAIVE, over);

    assertThat(goal(passes, "lockstepP99Within1.5xBaseline").line())
        .isEqualTo("PASS  the Lockstep way: p99 latency at most 1.5 x the baseline's: 7.50 ms vs 1.5 x 5.00 ms");
    assertThat(goal(passes, "lockstepMaxWithinBaselinePlus100Ms").met()).isTrue();
    assertThat(goal(misses, "lockstepP99Within1.5xBaseline").met()).isFalse();
    assertThat(goal(misses, "lockstepMaxWithinBaselinePlus100Ms").line())
        .isEqualTo("MISS  the Lockstep way: max latency at most baseline max + 100 ms: 110.1 ms vs 10.0 + 100 ms");
  }

  /** With a --rows sweep, the backfill goals hold only if they hold at every size. */
  @Test
  void aSweepJudgesTheBackfillAtEverySize() throws Exception {
    BenchSettings sweep = new BenchSettings(List.of(1_000_000, 100_000), 2, 100, Duration.ofSeconds(2), null,
        Duration.ofMillis(50));
    BackfillComparison small = new BackfillComparison(100_000, 1_000.0, 1_500, 20, 40, 55, 60);
    BackfillComparison large = new BackfillComparison(1_000_000, 10_000.0, 25_000, 200, 48, 90, 130);

    BenchReport report = report(sweep, List.of(small, large), 50L);
    JsonNode json = new ObjectMapper().readTree(report.json());

    assertThat(json.path("rows").asInt()).isEqualTo(1_000_000);
    assertThat(json.path("rowsSweep").toString()).isEqualTo("[100000,1000000]");
    assertThat(json.path("backfillSweep").get(0).path("rateRatio").asDouble()).isEqualTo(0.67);
    assertThat(json.path("backfill").path("rows").asLong()).isEqualTo(1_000_000);
    assertThat(goal(report, "backfillAtLeastHalfTheUpdateRate").line()).isEqualTo(
        "MISS  batched backfill at least half the rate of one UPDATE: ratio 0.40 (the lowest of 2 sizes, at 1,000,000 rows)");
    assertThat(goal(report, "everyBatchUnder100Ms").line())
        .isEqualTo("MISS  every backfill batch under 100 ms: longest 130 ms alone, 50 ms under load");
  }

  @Test
  void passesTheBatchGoalOnlyWhenTheSlowestBatchAloneAndUnderLoadIsUnder100Ms() {
    BackfillComparison fastAlone = new BackfillComparison(1_000, 100.0, 150, 2, 40, 55, 60);

    assertThat(goal(report(fastAlone, 99L), "everyBatchUnder100Ms").met()).isTrue();
    assertThat(goal(report(fastAlone, 100L), "everyBatchUnder100Ms").met()).isFalse();
    assertThat(goal(report(fastAlone, 99L), "backfillAtLeastHalfTheUpdateRate").line())
        .isEqualTo("PASS  batched backfill at least half the rate of one UPDATE: ratio 0.67");
  }

  @Test
  void textEndsWithTheJsonLineAndPrintsOneLinePerGoal() {
    BenchReport report = report(new BackfillComparison(1_000, 100.0, 150, 2, 40, 55, 60), 50L);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    report.printText(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines.get(lines.size() - 1)).isEqualTo(report.json());
    assertThat(lines).filteredOn(l -> l.startsWith("  PASS  ") || l.startsWith("  MISS  ")).hasSize(5);
    assertThat(lines).contains("  MISS  the Lockstep way: max latency at most baseline max + 100 ms:"
        + " 2500 ms vs 10.0 + 100 ms");
    assertThat(lines).contains("Backfill, no load: one UPDATE of the whole table against lockstep backfill,"
        + " batches sized to 50 ms");
    assertThat(lines).anyMatch(l -> l.matches(" +1,000 +UPDATE .*"))
        .anyMatch(l -> l.matches(" +backfill +0\\.15 s +6,667 +2 +40 +55 +60 +0\\.67"));
    assertThat(lines).anyMatch(l -> l.startsWith("note: ") && l.contains("synchronous_commit=off"));
    assertThat(lines).contains("note: this machine's load average was 3.5 when the run started and 1.3 when it"
        + " ended, on 2 cores: other processes competed for the CPU too");
    // naive: the change took 3 s, its slowest request was due 2.5 s into it.
    assertThat(lines).contains("    slowest request: 3000 ms, due 2.5 s into the change, during migrate --to 2");
    // The requests due while each runner command ran: the stand-in phase's one command.
    assertThat(lines).anyMatch(l -> l.matches("    during migrate --to 2: [0-9,]+ requests, p50 .* ms, p99 .* ms, max .* ms"));
  }

  private static BenchReport report(BackfillComparison backfill, Long longestBatchUnderLoad) {
    return report(SETTINGS, List.of(backfill), longestBatchUnderLoad);
  }

  private static BenchReport report(BenchSettings settings, List<BackfillComparison> backfills,
      Long longestBatchUnderLoad) {
    PhaseResult lockstep = phase("lockstep", Duration.ofSeconds(4),
        new LatencySummary(1_000, 0, 1.5, 10.0, 2_500.0, 0, Map.of()), longestBatchUnderLoad);
    return new BenchReport(settings, ENVIRONMENT, backfills, BASELINE, NAIVE, lockstep);
  }

  private static Goal goal(BenchReport report, String key) {
    return report.goals().stream().filter(g -> g.key().equals(key)).findFirst().orElseThrow();
  }

  private static PhaseResult phase(String name, Duration change, LatencySummary latency, Long longestBatch) {
    return new PhaseResult(name, name + " phase", change, new LoadResult(latency, Duration.ofSeconds(10), null),
        0, longestBatch, Duration.ofMillis(2_500), change == null ? null : "migrate --to 2",
        change == null ? List.of() : List.of(new PhaseResult.CommandLatency("migrate --to 2", latency)));
  }
}
