package dev.lockstep.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class IndentedLogTest {

  @Test
  void passesEachLineOnIndentedAsSoonAsItEndsAndAnUnfinishedOneOnClose() {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream runnerOut = new PrintStream(
        new IndentedLog(new PrintStream(log, true, StandardCharsets.UTF_8)), false, StandardCharsets.UTF_8);

    runnerOut.print("applying V2__a.sql\r\nbackfill: 1000 rows é");
    runnerOut.flush();
    String first = log.toString(StandardCharsets.UTF_8);
    runnerOut.println();
    runnerOut.print("migrate ok");
    runnerOut.close();

    assertThat(first).isEqualTo("    applying V2__a.sql\n");
    assertThat(log.toString(StandardCharsets.UTF_8))
        .isEqualTo("    applying V2__a.sql\n    backfill: 1000 rows é\n    migrate ok\n");
  }
}
