package dev.lockstep.lint;

import dev.lockstep.lint.sql.ScriptSplitter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How fast static linting is: 1,000 statements in 20 scripts, split with Flyway's parser, lexed and
 * judged by every rule. Prints the figures and asserts nothing.
 *
 * <pre>java -cp operator/target/lockstep.jar dev.lockstep.lint.LintBenchmark</pre>
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

  public static void main(String[] args) throws LintException {
    long setupStart = System.nanoTime();
    ScriptSplitter splitter = new ScriptSplitter(RiskAssessor.DEFAULT_POSTGRES_VERSION);
    long setupNanos = System.nanoTime() - setupStart;
    Map<String, String> scripts = scripts();
    int statements = SCRIPTS * STATEMENTS_PER_SCRIPT;

    long first = lintOnce(scripts, splitter);
    for (int i = 0; i < WARM_UP_RUNS; i++) {
      lintOnce(scripts, splitter);
    }
    long best = Long.MAX_VALUE;
    long total = 0;
    for (int i = 0; i < MEASURED_RUNS; i++) {
      long nanos = lintOnce(scripts, splitter);
      best = Math.min(best, nanos);
      total += nanos;
    }
    long mean = total / MEASURED_RUNS;
    System.out.printf("lint benchmark: %d statements in %d scripts, static rules only%n", statements, SCRIPTS);
    System.out.printf("  setup (Flyway parser configuration): %8.1f ms%n", millis(setupNanos));
    System.out.printf("  first run (cold JVM):                %8.1f ms  %,10.0f statements/s%n",
        millis(first), perSecond(statements, first));
    System.out.printf("  warm, mean of %2d runs:               %8.1f ms  %,10.0f statements/s%n",
        MEASURED_RUNS, millis(mean), perSecond(statements, mean));
    System.out.printf("  warm, best run:                      %8.1f ms  %,10.0f statements/s%n",
        millis(best), perSecond(statements, best));
  }

  private static long lintOnce(Map<String, String> scripts, ScriptSplitter splitter) throws LintException {
    long start = System.nanoTime();
    LintResult result = new Linter(RiskAssessor.DEFAULT_POSTGRES_VERSION, null)
        .lint(LintUnit.ofScripts(scripts, splitter));
    long nanos = System.nanoTime() - start;
    if (result.findings().isEmpty()) {
      throw new IllegalStateException("the benchmark's scripts should produce findings");
    }
    return nanos;
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
