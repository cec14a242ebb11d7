package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
 * {@code lockstep bench soak} for a minute: migrations over three databases under random faults (the
 * seed is fixed, so the same kinds of fault every run, guard breaches among them), then zero invariant
 * violations.
 */
class SoakCommandTest {

  @Test
  void aMinuteOfMigrationsUnderRandomFaultsLeavesEveryInvariantIntact() throws Exception {
    Result result = run("bench", "soak", "--duration", "60s", "--settle", "3m", "--databases", "3", "--seed", "15");

    List<String> lines = result.out.lines().toList();
    assertThat(lines).as(result.err).isNotEmpty();
    JsonNode json = new ObjectMapper().readTree(lines.get(lines.size() - 1));
    assertThat(json.path("violations").asInt()).as(result.out).isZero();
    assertThat(result.exitCode).as(result.out).isZero();
    assertThat(json.path("migrations").asInt()).as("migrations run").isGreaterThanOrEqualTo(3);
    assertThat(json.path("faultsTotal").asInt()).as("faults injected").isGreaterThanOrEqualTo(5);
    assertThat(json.path("jobRuns").asInt()).as("runner Jobs checked for overlap").isPositive();
    assertThat(json.path("faults").path("guard-breach").asInt()).as("guard breaches injected").isPositive();
    assertThat(json.path("guardRollbacks").asInt()).as("rollbacks for a guard").isPositive();
    assertThat(result.out).contains("invariant violations: 0");
  }

  @Test
  void refusesBadInputNamingTheOption() {
    Result result = run("bench", "soak", "--duration", "soon");
    assertThat(result.exitCode).isEqualTo(2);
    assertThat(result.err).contains("--duration");
    assertThat(run("bench", "soak", "--databases", "0").err).contains("--databases is 0; give at least 1");
  }

  private record Result(int exitCode, String out, String err) {}

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Lockstep.run(args, ContainerEnvironment.of(Map.of(), Path::of,
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
