package dev.lockstep.bench;

import dev.lockstep.lint.LintResult;
import dev.lockstep.lint.RiskAssessor;

import dev.lockstep.lint.LintException;

import dev.lockstep.lint.input.InputLinter;
import dev.lockstep.lint.input.LintInputs;
import dev.lockstep.shadow.ShadowDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * How long {@code lockstep lint} takes with the shadow database on a directory of 50 scripts: a
 * baseline that creates three tables with rows, then 49 scripts of the changes real sets make (columns,
 * indexes, concurrent indexes alone in their scripts, constraints, type changes, a fill, drops). One
 * shadow server serves the whole run, as in the command. Prints each phase and the goal (under 10 s
 * for the run) as PASS or MISS, with the machine's load, and asserts nothing.
 *
 * <pre>java -cp operator/cli/target/lockstep.jar dev.lockstep.bench.ShadowLintBenchmark [DIR]</pre>
 *
 * With DIR the scripts are written there and kept, so that the command itself can be timed on them:
 * {@code time java -jar operator/cli/target/lockstep.jar lint DIR}.
 */
public final class ShadowLintBenchmark {

  static final int SCRIPTS = 50;
  private static final double GOAL_SECONDS = 10.0;

  private static final String BASELINE = """
      CREATE TABLE customers (id bigint PRIMARY KEY, email varchar(100) NOT NULL, name varchar(50));
      CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id),
        amount numeric(10, 2), status varchar(20), note text, created_at timestamp);
      CREATE INDEX orders_status ON orders (status);
      CREATE TABLE events (id bigint PRIMARY KEY, payload text);
      INSERT INTO customers SELECT g, 'c' || g || '@example.com', 'name ' || g FROM generate_series(1, 100) g;
      INSERT INTO orders SELECT g, g, g * 10, 'open', 'note ' || g, now() FROM generate_series(1, 100) g;
      INSERT INTO events SELECT g, 'payload ' || g FROM generate_series(1, 100) g;
      """;

  /** One script per entry, {@code %1$d} its version; cycled through for versions 2 to 50. */
  private static final List<String> SCRIPT_TEMPLATES = List.of(
      "ALTER TABLE orders ADD COLUMN c%1$d text;\nALTER TABLE orders ALTER COLUMN c%1$d SET DEFAULT 'x';\n",
      "CREATE INDEX CONCURRENTLY orders_c%1$d ON orders (customer_id);\n",
      "ALTER TABLE orders ADD CONSTRAINT k%1$d CHECK (amount >= 0) NOT VALID;\n",
      "ALTER TABLE orders VALIDATE CONSTRAINT k%1$d;\n",
      "CREATE TABLE t%1$d (id bigint PRIMARY KEY, orders_id bigint REFERENCES orders (id), label text);\n"
          + "CREATE INDEX t%1$d_orders ON t%1$d (orders_id);\nINSERT INTO t%1$d VALUES (1, 1, 'one');\n",
      "ALTER TABLE customers ADD COLUMN n%1$d integer DEFAULT 0 NOT NULL;\n"
          + "COMMENT ON COLUMN customers.n%1$d IS 'counter';\n",
      "ALTER TABLE orders ALTER COLUMN status TYPE varchar(%1$d);\n",
      "UPDATE orders SET note = 'checked' WHERE id = %1$d;\nDELETE FROM events WHERE id = %1$d;\n",
      "CREATE INDEX orders_i%1$d ON orders (created_at);\n",
      "ALTER TABLE events ADD COLUMN e%1$d uuid DEFAULT gen_random_uuid();\n");

  private ShadowLintBenchmark() {}

  public static void main(String[] args) throws IOException, LintException {
    Path dir = args.length > 0 ? Files.createDirectories(Path.of(args[0])) : Files.createTempDirectory("lint-bench");
    int statements = writeScripts(dir);
    System.out.printf(Locale.ROOT, "%d scripts, %d statements, in %s%n", SCRIPTS, statements, dir);

    double cpuAtStart = ProcessCpu.ownSeconds();
    long start = System.nanoTime();
    LintInputs inputs = LintInputs.read(List.of(dir));
    long read = System.nanoTime();
    double cpuRead = ProcessCpu.ownSeconds();
    double cpuStarted;
    double cpuLinted;
    LintResult result;
    long started;
    long linted;
    double serverCpu;
    // As ShadowDatabase.start() does, with the server at hand to read its CPU time before it stops.
    try (EmbeddedPostgres server = ShadowDatabase.startServer()) {
      started = System.nanoTime();
      cpuStarted = ProcessCpu.ownSeconds();
      result = new InputLinter(RiskAssessor.DEFAULT_POSTGRES_VERSION, ShadowDatabase.on(server)).lint(inputs).result();
      linted = System.nanoTime();
      cpuLinted = ProcessCpu.ownSeconds();
      serverCpu = ProcessCpu.serverSeconds(server.getPort());
    }
    long stopped = System.nanoTime();
    double cpu = ProcessCpu.ownSeconds() + serverCpu;

    double total = seconds(stopped - start);
    System.out.printf(Locale.ROOT, "JVM start to main (CPU):  %6.2f s CPU%n", cpuAtStart);
    System.out.printf(Locale.ROOT, "read and split:           %6.2f s, %5.2f s CPU of this JVM%n", seconds(read - start),
        cpuRead - cpuAtStart);
    System.out.printf(Locale.ROOT, "start the shadow server:  %6.2f s, %5.2f s CPU%n", seconds(started - read),
        cpuStarted - cpuRead);
    System.out.printf(Locale.ROOT, "lint on the shadow:       %6.2f s, %5.2f s CPU (%.0f ms a script)%n",
        seconds(linted - started), cpuLinted - cpuStarted, seconds(linted - started) * 1000 / SCRIPTS);
    System.out.printf(Locale.ROOT, "stop the shadow server:   %6.2f s%n", seconds(stopped - linted));
    System.out.printf(Locale.ROOT, "total:                    %6.2f s, %d findings%n", total, result.findings().size());
    System.out.printf(Locale.ROOT, "goal: under %.0f s for %d scripts: %s (%.2f of the goal)%n", GOAL_SECONDS, SCRIPTS,
        total < GOAL_SECONDS ? "PASS" : "MISS", total / GOAL_SECONDS);
    System.out.printf(Locale.ROOT, "CPU time, which other processes do not inflate: %.2f s (this JVM and its"
        + " children such as initdb: %.2f s, the PostgreSQL server: %.2f s)%n", cpu, cpu - serverCpu, serverCpu);
    System.out.println("load average (1, 5, 15 min): " + loadAverage()
        + ", cores: " + Runtime.getRuntime().availableProcessors());
  }

  /** Writes the baseline and the other scripts into {@code dir}; the number of statements. */
  static int writeScripts(Path dir) throws IOException {
    Files.writeString(dir.resolve("V1__baseline.sql"), BASELINE);
    int statements = 7;
    for (int version = 2; version <= SCRIPTS; version++) {
      String template = SCRIPT_TEMPLATES.get((version - 2) % SCRIPT_TEMPLATES.size());
      String sql = template.formatted(version);
      if (template.contains("VALIDATE")) {
        sql = sql.replace("k" + version, "k" + (version - 1)); // the constraint of the script before
      }
      Files.writeString(dir.resolve("V" + version + "__change_" + version + ".sql"), sql);
      statements += (int) sql.chars().filter(c -> c == ';').count();
    }
    return statements;
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + ", " + parts[1] + ", " + parts[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
