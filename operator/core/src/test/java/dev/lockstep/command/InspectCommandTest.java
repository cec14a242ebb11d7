package dev.lockstep.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.InspectedFinding;
import dev.lockstep.protocol.RunnerResult;
import dev.lockstep.runner.ContainerEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lockstep inspect} against a directory, as the inspection Job runs it: no database, no credentials. */
class InspectCommandTest {

  @TempDir Path work;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) throws Exception {
    Files.createDirectories(work.resolve("scripts"));
    ContainerEnvironment environment = ContainerEnvironment.of(Map.of(),
        path -> path.equals("/dev/termination-log") ? work.resolve("termination-log")
            : work.resolve("scripts").resolve(Path.of("/lockstep/scripts").relativize(Path.of(path)).toString()),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return LockstepCommand.run(args, environment);
  }

  private void script(String name, String sql) throws Exception {
    Files.createDirectories(work.resolve("scripts"));
    Files.writeString(work.resolve("scripts").resolve(name), sql);
  }

  private RunnerResult result() throws Exception {
    String message = Files.readString(work.resolve("termination-log"));
    assertThat(message.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(RunnerResult.MAX_BYTES);
    return RunnerResult.parse(message);
  }

  @Test
  void reportsEveryScriptWithItsChecksumAndTheStaticFindings() throws Exception {
    script("V1__add_column.sql", "ALTER TABLE orders ADD COLUMN currency text;");
    script("V2__index.sql", "CREATE INDEX orders_currency ON orders (currency);");
    script("U1__add_column.sql", "ALTER TABLE orders DROP COLUMN currency;");
    script("README.md", "not a script");
    Files.writeString(work.resolve("scripts").resolve(".hidden.sql"), "DROP TABLE orders;");

    int exit = run("inspect", "--scripts", "/lockstep/scripts");

    assertThat(exit).as(err.toString()).isZero();
    RunnerResult result = result();
    assertThat(result.isOk()).isTrue();
    assertThat(result.getCommand()).isEqualTo("inspect");
    assertThat(result.getInspection().getFiles()).containsOnlyKeys("V1__add_column.sql", "V2__index.sql",
        "U1__add_column.sql");
    assertThat(result.getInspection().getFiles().get("V2__index.sql")).matches("[0-9a-f]{12}");
    assertThat(result.getInspection().getFiles().get("V2__index.sql"))
        .isNotEqualTo(result.getInspection().getFiles().get("V1__add_column.sql"));
    assertThat(result.getInspection().getFindings()).extracting(InspectedFinding::getFile, InspectedFinding::getLine,
        InspectedFinding::getRule, InspectedFinding::getRisk, InspectedFinding::getLock)
        .contains(org.assertj.core.groups.Tuple.tuple("V2__index.sql", 1, "create-index-non-concurrent", "high",
            "SHARE"));
    assertThat(result.getInspection().getErrors()).isNullOrEmpty();
    assertThat(out.toString()).contains("inspected 3 scripts");
  }

  @Test
  void aScriptThatIsNotUtf8IsBadInputNamingTheFile() throws Exception {
    Files.createDirectories(work.resolve("scripts"));
    Files.write(work.resolve("scripts").resolve("V1__latin1.sql"), new byte[] {'S', 'E', 'L', (byte) 0xE9, ';'});

    int exit = run("inspect");

    assertThat(exit).isEqualTo(2);
    assertThat(result().isOk()).isFalse();
    assertThat(result().getError()).isEqualTo("/lockstep/scripts/V1__latin1.sql is not UTF-8 text; save it as UTF-8");
    assertThat(err.toString().strip()).isEqualTo("lockstep inspect: " + result().getError());
  }

  @Test
  void anInventoryOverFourKibibytesFailsClearlyInsteadOfBeingCut() throws Exception {
    for (int i = 1; i <= 120; i++) {
      script("V" + i + "__create_table_number_" + i + ".sql", "CREATE TABLE t" + i + " (id int);");
    }

    int exit = run("inspect");

    assertThat(exit).isEqualTo(2);
    RunnerResult result = result();
    assertThat(result.getInspection()).isNull();
    assertThat(result.getError()).startsWith("the inventory of the 120 scripts in /lockstep/scripts takes ")
        .contains("more than the 4096 bytes of a termination message")
        .endsWith("keep fewer scripts in the image (baseline old versions) or deliver them in a ConfigMap");
  }

  @Test
  void aMissingDirectorySaysWhichFieldToCheck() throws Exception {
    int exit = run("inspect", "--scripts", "/lockstep/scripts/nowhere");

    assertThat(exit).isEqualTo(2);
    assertThat(result().getError()).contains("/lockstep/scripts/nowhere does not exist")
        .contains("spec.scripts.image.path");
  }
}
