package dev.lockstep.runner;

import dev.lockstep.protocol.RunnerResult;
import dev.lockstep.protocol.StuckState;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RunnerResultTest {

  @Test
  void aLongErrorIsShortenedSoThatTheMessageFitsAndStaysValidJson() {
    RunnerResult result = new RunnerResult();
    result.setCommand("migrate");
    result.setVersionBefore("1");
    result.setError("V2__x.sql failed: " + "é".repeat(5000));

    String message = result.toTerminationMessage();

    assertThat(message.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(RunnerResult.MAX_BYTES);
    RunnerResult parsed = RunnerResult.parse(message);
    assertThat(parsed.getError()).startsWith("V2__x.sql failed: éé").endsWith("...");
    assertThat(parsed.getVersionBefore()).isEqualTo("1");
  }

  @Test
  void manyScriptsAreCutFromTheOldestAndCounted() {
    RunnerResult result = new RunnerResult();
    result.setCommand("migrate");
    result.setOk(true);
    for (int v = 1; v <= 300; v++) {
      result.getScripts().add(new RunnerResult.AppliedScript(String.valueOf(v), "V" + v + "__step_number_" + v + ".sql", v));
    }

    RunnerResult parsed = RunnerResult.parse(result.toTerminationMessage());

    assertThat(parsed.getScriptsOmitted()).isPositive();
    assertThat(parsed.getScripts()).hasSize(300 - parsed.getScriptsOmitted());
    assertThat(parsed.getScripts().get(parsed.getScripts().size() - 1).getVersion()).isEqualTo("300");
  }

  @Test
  void keepsTheFieldNamesTheOperatorReads() {
    RunnerResult result = new RunnerResult();
    result.setCommand("backfill");
    result.setOk(true);
    result.setRows(10L);
    result.setBatches(2L);
    result.setLongestBatchMillis(7L);
    result.setLockRetries(1);
    result.setLockWaitMillis(250);
    result.setMillis(900);

    assertThat(result.toTerminationMessage()).isEqualTo(
        "{\"command\":\"backfill\",\"ok\":true,\"scripts\":[],\"lockRetries\":1,\"lockWaitMillis\":250,"
            + "\"rows\":10,\"batches\":2,\"longestBatchMillis\":7,\"millis\":900}");
  }

  @Test
  void stuckStatesTravelAsTypedDataAndTheFirstAlwaysFits() {
    RunnerResult result = new RunnerResult();
    result.setCommand("migrate");
    result.getStuck().add(StuckState.failedMigration("2", "V2__indexes.sql"));
    result.getStuck().add(StuckState.heldLock(4242, "lockstep migrate", 3600));
    for (int i = 0; i < 200; i++) {
      result.getStuck().add(StuckState.invalidIndex("public.orders_leftover_" + i, "orders"));
    }

    RunnerResult parsed = RunnerResult.parse(result.toTerminationMessage());

    assertThat(parsed.getStuck()).isNotEmpty().hasSizeLessThan(202);
    StuckState row = parsed.getStuck().get(0);
    assertThat(row.getKind()).isEqualTo(StuckState.Kind.FAILED_MIGRATION);
    assertThat(row.getVersion()).isEqualTo("2");
    assertThat(row.getScript()).isEqualTo("V2__indexes.sql");
    assertThat(row.getPid()).isNull();
    StuckState lock = parsed.getStuck().get(1);
    assertThat(lock.getKind()).isEqualTo(StuckState.Kind.HELD_LOCK);
    assertThat(lock.getPid()).isEqualTo(4242);
    assertThat(lock.describe()).isEqualTo(
        "Flyway's advisory lock is held by session 4242 (lockstep migrate), connected 3600s ago");
  }
}
