package dev.lockstep.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.runner.testing.RunnerHarness;
import dev.lockstep.runner.testing.RunnerHarness.Run;
import dev.lockstep.runner.testing.TestPostgres;
import dev.lockstep.runner.testing.TestPostgres.TestDatabase;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner's messages with short and common passwords: they read exactly as written (nothing is
 * starred out of a script name or a version, which would also give the password away), and a JDBC
 * URL carrying credentials shows up without them.
 */
class ShortPasswordsTest {

  private static TestPostgres postgres;

  @TempDir Path workDir;

  @BeforeAll
  static void startPostgres() {
    postgres = TestPostgres.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"x", "1", "postgres", "e"})
  void aFailingScriptIsReportedWordForWord(String password) {
    TestDatabase database = postgres.createDatabase();
    RunnerHarness runner = new RunnerHarness(workDir, database)
        .script("V1__create_orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY);")
        .script("V1.27__index_existing_index_fix.sql", "CREATE INDEX existing_index ON no_such_table (id);");
    runner.env().put("LOCKSTEP_DB_PASSWORD", password);

    Run run = runner.run("migrate", "--to", "1.27");

    String expected = "V1.27__index_existing_index_fix.sql failed: relation \"no_such_table\" does not exist"
        + " (SQLSTATE 42P01)";
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.result().getError()).isEqualTo(expected);
    assertThat(run.err()).isEqualTo("lockstep migrate: " + expected + System.lineSeparator());
    assertThat(run.everything()).doesNotContain("****");
  }

  @ParameterizedTest
  @ValueSource(strings = {"x", "1", "postgres"})
  void aUrlWithCredentialsInItIsNeverPrintedWithThem(String password) {
    TestDatabase database = postgres.createDatabase();
    RunnerHarness runner = new RunnerHarness(workDir, database)
        .script("V1__create_orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY);");
    String secretUrl = "jdbc:postgresql://lockstep:" + password + "@127.0.0.1:1/orders?password=" + password
        + "&connectTimeout=1";
    runner.env().put("LOCKSTEP_DB_URL", secretUrl);
    runner.env().put("LOCKSTEP_DB_PASSWORD", password);

    // Port 1 refuses at once; running again on a new connection would only take longer.
    Run run = runner.run("migrate", "--to", "1", "--max-reconnects", "0");

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.everything()).doesNotContain("password=" + password).doesNotContain(":" + password + "@")
        .doesNotContain("****");
  }

  /** Nor does any log line, debug included: an exception's message or its causes' may quote the URL. */
  @Test
  void noLogLineCarriesTheCredentialsEvenAtDebug() {
    TestDatabase database = postgres.createDatabase();
    RunnerHarness runner = new RunnerHarness(workDir, database)
        .script("V1__create_orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY);");
    String password = "pw-9f3Kq";
    runner.env().put("LOCKSTEP_DB_URL", "jdbc:postgresql://lockstep:" + password + "@127.0.0.1:1/orders?password="
        + password + "&connectTimeout=1");
    runner.env().put("LOCKSTEP_DB_PASSWORD", password);
    LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger lockstep = logging.getLogger("dev.lockstep");
    Level before = lockstep.getLevel();
    List<String> lines = new CopyOnWriteArrayList<>();
    AppenderBase<ILoggingEvent> capture = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent event) {
        lines.add(event.getFormattedMessage()
            + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy())));
      }
    };
    capture.setContext(logging);
    capture.start();
    lockstep.addAppender(capture);
    lockstep.setLevel(Level.DEBUG);
    try {
      Run run = runner.run("migrate", "--to", "1", "--max-reconnects", "0");
      assertThat(run.exitCode()).isNotZero();
    } finally {
      lockstep.detachAppender(capture);
      lockstep.setLevel(before);
    }

    assertThat(lines).as("the failure is logged at debug").anyMatch(line -> line.contains("migrate failed"));
    assertThat(lines).noneMatch(line -> line.contains(password));
  }
}
