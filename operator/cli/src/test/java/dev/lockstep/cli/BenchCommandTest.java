package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.runner.ContainerEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code lockstep bench online-safety} on a small table against the embedded PostgreSQL: the shape
 * of its output and the consistency of its figures, never their values (timings vary by machine).
 */
class BenchCommandTest {

  private static final int ROWS = 20_000;
  private static final int BATCH_SIZE = 3_000;

  @Test
  void printsTheTableAndEndsWithOneJsonLineOfConsistentFigures() throws Exception {
    Result result = run("bench", "online-safety", "--rows", Integer.toString(ROWS), "--threads", "2",
        "--rate", "100", "--batch-size", Integer.toString(BATCH_SIZE), "--lock-timeout", "1s");

    assertThat(result.exitCode).as(result.err).isZero();
    List<String> lines = result.out.lines().toList();
    assertThat(lines.get(0)).startsWith("lockstep bench online-safety: 20,000 rows, PostgreSQL ");
    assertThat(result.out).contains("one UPDATE of the whole table against lockstep backfill, 3,000 rows a batch",
        "Goals");
    assertThat(lines).anyMatch(l -> l.startsWith("baseline "))
        .anyMatch(l -> l.startsWith("naive "))
        .anyMatch(l -> l.startsWith("lockstep "));
    assertThat(lines.stream().filter(l -> l.matches("  (PASS|MISS)  .*"))).hasSize(5);
    assertThat(result.err).contains("bench: dropping schema lockstep_bench");

    JsonNode json = new ObjectMapper().readTree(lines.get(lines.size() - 1));
    assertThat(json.path("rows").asInt()).isEqualTo(ROWS);
    assertThat(json.path("batchSize").asInt()).isEqualTo(BATCH_SIZE);
    assertThat(json.path("lockTimeoutMs").asInt()).isEqualTo(1000);

    JsonNode backfill = json.path("backfill");
    assertThat(backfill.path("rows").asInt()).isEqualTo(ROWS);
    // Key ranges of 3,000 rows cover 20,000 rows in 7 batches.
    assertThat(backfill.path("batches").asInt()).isEqualTo(7);
    assertThat(backfill.path("batchP50Ms").asLong()).isLessThanOrEqualTo(backfill.path("batchP99Ms").asLong());
    assertThat(backfill.path("batchP99Ms").asLong()).isLessThanOrEqualTo(backfill.path("longestBatchMs").asLong());
    assertThat(backfill.path("singleUpdateMs").asDouble()).isPositive();
    assertThat(backfill.path("batchedMs").asDouble()).isPositive();
    assertThat(backfill.path("longestBatchMs").asDouble()).isLessThanOrEqualTo(backfill.path("batchedMs").asDouble());
    assertThat(backfill.path("batchedRowsPerSec").asDouble())
        .isCloseTo(ROWS * 1000.0 / backfill.path("batchedMs").asDouble(), within(1.0));
    assertThat(backfill.path("rateRatio").asDouble()).isCloseTo(
        backfill.path("batchedRowsPerSec").asDouble() / backfill.path("singleUpdateRowsPerSec").asDouble(),
        within(0.01));

    JsonNode baseline = json.path("baseline");
    assertThat(baseline.path("changeMs").isNull()).isTrue();
    for (String name : List.of("baseline", "naive", "lockstep")) {
      JsonNode phase = json.path(name);
      assertThat(phase.path("requests").asLong()).as(name).isPositive();
      assertThat(phase.path("failed").asLong()).as(name).isBetween(0L, phase.path("requests").asLong());
      assertThat(phase.path("p50Ms").asDouble()).as(name).isPositive()
          .isLessThanOrEqualTo(phase.path("p99Ms").asDouble());
      assertThat(phase.path("p99Ms").asDouble()).as(name).isLessThanOrEqualTo(phase.path("maxMs").asDouble() + 0.01);
      assertThat(phase.path("loadMs").asLong()).as(name).isPositive();
    }
    assertThat(json.path("naive").path("slowestDuring").asText(null)).isIn(null, "migrate --to 2");
    assertThat(json.path("lockstep").path("slowestDuring").asText(null))
        .isIn(null, "migrate --to 2", "backfill", "migrate --to 6");
    assertThat(lines.stream().filter(l -> l.startsWith("    slowest request: "))).hasSize(2);
    for (String name : List.of("naive", "lockstep")) {
      JsonNode phase = json.path(name);
      assertThat(phase.path("changeMs").asLong()).as(name).isPositive();
      assertThat(phase.path("slowestDueAtMs").isIntegralNumber()).as(name).isTrue();
      for (String figure : List.of("p50", "p99", "max")) {
        double expected = phase.path(figure + "Ms").asDouble() / baseline.path(figure + "Ms").asDouble();
        assertThat(phase.path(figure + "Ratio").asDouble()).as(name + " " + figure)
            .isCloseTo(expected, within(0.02 + expected * 0.05));
      }
    }
    // The Lockstep way's backfill reports its slowest batch; the baseline and naive ways have none.
    assertThat(baseline.has("longestBatchMs")).isFalse();
    assertThat(json.path("lockstep").path("longestBatchMs").isNumber()).isTrue();

    JsonNode goals = json.path("goals");
    assertThat(goals.path("lockstepNoFailedRequests").asBoolean())
        .isEqualTo(json.path("lockstep").path("failed").asLong() == 0);
    assertThat(goals.path("lockstepMaxWithinBaselinePlus100Ms").asBoolean())
        .isEqualTo(json.path("lockstep").path("maxMs").asDouble() <= baseline.path("maxMs").asDouble() + 100);
    assertThat(goals.path("lockstepP99Within1.5xBaseline").asBoolean())
        .isEqualTo(json.path("lockstep").path("p99Ms").asDouble() <= 1.5 * baseline.path("p99Ms").asDouble());
    assertThat(goals.path("everyBatchUnder100Ms").asBoolean()).isEqualTo(
        Math.max(backfill.path("longestBatchMs").asLong(), json.path("lockstep").path("longestBatchMs").asLong()) < 100);
    assertThat(goals.path("backfillAtLeastHalfTheUpdateRate").isBoolean()).isTrue();
  }

  @Test
  void refusesAnUnknownOutputFormatBeforeStartingAnyDatabase() {
    Result result = run("bench", "online-safety", "--output", "xml");

    assertThat(result.exitCode).isEqualTo(2);
    assertThat(result.err.strip()).isEqualTo("lockstep bench online-safety: --output is \"xml\"; use text or json");
    assertThat(result.out).isEmpty();
  }

  @Test
  void refusesBadInputWithOneLineNamingTheOption() {
    assertThat(run("bench", "online-safety", "--threads", "4", "--rate", "2").err)
        .contains("--rate is 2; give at least 4");
    assertThat(run("bench", "online-safety", "--rows", "0").err).contains("--rows is 0; give at least 1");
    assertThat(run("bench", "online-safety", "--rows", "100000,lots").err)
        .contains("--rows is \"100000,lots\"; give a number of rows such as 1000000, or several separated by commas");
    assertThat(run("bench", "online-safety", "--batch-size", "1000", "--batch-time", "50ms").err)
        .contains("--batch-size and --batch-time exclude each other");
    assertThat(run("bench", "online-safety", "--lock-timeout", "soon").err).contains("--lock-timeout is \"soon\"");
    assertThat(run("bench", "online-safety", "--lock-timeout", "0s").err).contains("--lock-timeout must be more than 0");
    Result noLogin = run("bench", "online-safety", "--jdbc-url", "jdbc:postgresql://localhost:1/x");
    assertThat(noLogin.exitCode).isEqualTo(2);
    assertThat(noLogin.err).contains("--jdbc-url needs --username and --password");
    Result noPassword = run(Map.of("LOCKSTEP_BENCH_USERNAME", "app"),
        "bench", "online-safety", "--jdbc-url", "jdbc:postgresql://localhost:1/x");
    assertThat(noPassword.err).contains("--jdbc-url needs --username and --password");
  }

  @Test
  void readsTheLoginFromTheEnvironmentAndReportsAServerItCannotReachInOneLine() {
    Result result = run(Map.of("LOCKSTEP_BENCH_USERNAME", "app", "LOCKSTEP_BENCH_PASSWORD", "pw-never-printed"),
        "bench", "online-safety", "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/nothing?connectTimeout=2");

    assertThat(result.exitCode).isEqualTo(1);
    assertThat(result.err.lines()).singleElement().asString()
        .startsWith("lockstep bench online-safety: cannot connect to --jdbc-url: ");
    assertThat(result.err).doesNotContain("pw-never-printed");
  }

  private static Result run(String... args) {
    return run(Map.of(), args);
  }

  private static Result run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exitCode = Lockstep.run(args, ContainerEnvironment.of(env, Path::of,
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
    return new Result(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private record Result(int exitCode, String out, String err) {}
}
