package dev.lockstep.bench;

import dev.lockstep.lint.LintResult;
import dev.lockstep.lint.LintUnit;
import dev.lockstep.lint.Linter;
import dev.lockstep.lint.RiskAssessor;

import dev.lockstep.lint.LintException;

import dev.lockstep.sql.ScriptSplitter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How fast static linting is: 1,000 statements in 20 scripts, split with Flyway's parser, lexed and
 * judged by every rule. Prints the figures and asserts nothing. Beside wall-clock time it prints the
 * linting thread's CPU time, which other processes competing for the cores do not inflate (the JIT
 * compiler's threads are not counted in it).
 *
 * <pre>java -cp operator/cli/target/lockstep.jar dev.lockstep.bench.LintBenchmark</pre>
 */
public final class LintBenchmark {

  private static final int SCRIPTS = 20;
  private static final int STATEMENTS_PER_SCRIPT = 50;
  private static final int WARM_UP_RUNS = 5;
  private static final int MEASURED_RUNS = 10;

  /** Statements of every kind the rules look at, risky and safe, with comments and quoting. */
  private static final List<String> STATEMENTS = List.of(
      "ALTER TABLE orders ADD COLUMN c%d text DEFAULT 'EUR'",
      "ALTER TABLE orders ADD COLUMN t%d uuid DEFAULT gen_random_uuid()",
      "-- a comment; with a semicolon\nCREATE INDEX orders_i%d ON orders (status)",
      "CREATE INDEX CONCURRENTLY orders_c%d ON orders (status)",
      "ALTER TABLE \"orders\" ADD CONSTRAINT k%d CHECK (amount > 0) NOT VALID",
      "ALTER TABLE orders ALTER COLUMN status TYPE varchar(%d)",
      "INSERT INTO events VALUES (%d, E'it\\'s; /* not a comment */')",
      "CREATE FUNCTION f%d() RETURNS int LANGUAGE plpgsql AS $body$ BEGIN DROP TABLE x; RETURN 1; END $body$",
      "/* nested /* comment */ */ UPDATE orders SET status = 'x' WHERE id = %d",
      "ALTER TABLE orders RENAME COLUMN note TO note%d");

  private LintBenchmark() {}

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** Wall-clock and CPU time of one run. */
  private record Timing(long wallNanos, long cpuNanos) {}

  public static void main(String[] args) throws LintException {
    long setupStart = System.nanoTime();
    ScriptSplitter splitter = new ScriptSplitter(RiskAssessor.DEFAULT_POSTGRES_VERSION);
    long setupNanos = System.nanoTime() - setupStart;
    Map<String, String> scripts = scripts();
    int statements = SCRIPTS * STATEMENTS_PER_SCRIPT;

    Timing first = lintOnce(scripts, splitter);
    for (int i = 0; i < WARM_UP_RUNS; i++) {
      lintOnce(scripts, splitter);
    }
    Timing best = null;
    long totalWall = 0;
    long totalCpu = 0;
    for (int i = 0; i < MEASURED_RUNS; i++) {
      Timing timing = lintOnce(scripts, splitter);
      best = best == null || timing.wallNanos() < best.wallNanos() ? timing : best;
      totalWall += timing.wallNanos();
      totalCpu += timing.cpuNanos();
    }
    Timing mean = new Timing(totalWall / MEASURED_RUNS, totalCpu / MEASURED_RUNS);
    System.out.printf("lint benchmark: %d statements in %d scripts, static rules only (%d cores)%n",
        statements, SCRIPTS, Runtime.getRuntime().availableProcessors());
    System.out.printf("  setup (Flyway parser configuration): %8.1f ms%n", millis(setupNanos));
    print("first run (cold JVM):", first, statements);
    print("warm, mean of " + MEASURED_RUNS + " runs:", mean, statements);
    print("warm, best run:", best, statements);
  }

  private static void print(String label, Timing timing, int statements) {
    System.out.printf("  %-36s %8.1f ms  %,10.0f statements/s   (CPU %8.1f ms)%n",
        label, millis(timing.wallNanos()), perSecond(statements, timing.wallNanos()), millis(timing.cpuNanos()));
  }

  private static Timing lintOnce(Map<String, String> scripts, ScriptSplitter splitter) throws LintException {
    long cpuStart = THREADS.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    LintResult result = new Linter(RiskAssessor.DEFAULT_POSTGRES_VERSION, null)
        .lint(LintUnit.ofScripts(scripts, splitter));
    Timing timing = new Timing(System.nanoTime() - start, THREADS.getCurrentThreadCpuTime() - cpuStart);
    if (result.findings().isEmpty()) {
      throw new IllegalStateException("the benchmark's scripts should produce findings");
    }
    return timing;
  }

  private static Map<String, String> scripts() {
    Map<String, String> scripts = new LinkedHashMap<>();
    int n = 0;
    for (int script = 1; script <= SCRIPTS; script++) {
      StringBuilder sql = new StringBuilder();
      for (int i = 0; i < STATEMENTS_PER_SCRIPT; i++) {
        sql.append(String.format(STATEMENTS.get(n % STATEMENTS.size()), n)).append(";\n");
        n++;
      }
      // CONCURRENTLY statements must be alone in their script for Flyway: keep them out of the mix.
      scripts.put("V" + script + "__bench.sql", sql.toString().replace("CREATE INDEX CONCURRENTLY", "CREATE INDEX"));
    }
    return scripts;
  }

  private static double millis(long nanos) {
    return nanos / 1_000_000.0;
  }

  private static double perSecond(int statements, long nanos) {
    return statements / (nanos / 1_000_000_000.0);
  }
}
