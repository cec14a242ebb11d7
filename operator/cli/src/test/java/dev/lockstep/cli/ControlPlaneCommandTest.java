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

/** {@code lockstep bench control-plane} on a few migrations: the real operator, Jobs that complete at once. */
class ControlPlaneCommandTest {

  @Test
  void runsEveryMigrationToSuccessAndReportsTheOperatorsFigures() throws Exception {
    Result result = run("bench", "control-plane", "--sweep", "2,4", "--databases", "2", "--timeout", "5m");

    assertThat(result.exitCode).as(result.err).isZero();
    List<String> lines = result.out.lines().toList();
    assertThat(lines.get(0)).startsWith("lockstep bench control-plane: 4 migrate steps a migration");
    assertThat(lines.stream().filter(l -> l.matches("  (PASS|MISS)  .*"))).hasSize(4);
    JsonNode json = new ObjectMapper().readTree(lines.get(lines.size() - 1));
    assertThat(json.path("benchmark").asText()).isEqualTo("control-plane");
    assertThat(json.path("runs")).hasSize(2);
    for (JsonNode run : json.path("runs")) {
      int migrations = run.path("migrations").asInt();
      assertThat(run.path("succeeded").asInt()).isEqualTo(migrations);
      // Three reactions between four steps, and one from the last step to Succeeded, per migration.
      assertThat(run.path("reactions").asInt()).isEqualTo(4 * migrations);
      assertThat(run.path("reactionP50Ms").asDouble()).isPositive()
          .isLessThanOrEqualTo(run.path("reactionP99Ms").asDouble());
      assertThat(run.path("reactionP99Ms").asDouble()).isLessThanOrEqualTo(run.path("reactionMaxMs").asDouble());
      JsonNode requests = run.path("requestsByVerbAndResource");
      assertThat(requests.path("create jobs").asInt()).as("one Job per step").isEqualTo(4 * migrations);
      long total = 0;
      for (var field : (Iterable<Map.Entry<String, JsonNode>>) requests::fields) {
        total += field.getValue().asLong();
      }
      assertThat(run.path("requests").asLong()).isEqualTo(total);
      assertThat(run.path("cpuMs").asLong()).isPositive();
    }
    assertThat(json.path("goals").path("allSucceeded").asBoolean()).isTrue();
    assertThat(json.path("goals").has("costPerMigrationFlat")).isTrue();
  }

  @Test
  void refusesBadInputNamingTheOption() {
    assertThat(run("bench", "control-plane", "--sweep", "10,lots").err)
        .contains("--sweep is \"10,lots\"; give numbers of migrations separated by commas");
    assertThat(run("bench", "control-plane", "--databases", "0").exitCode).isEqualTo(2);
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
