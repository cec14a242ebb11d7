package dev.lockstep.runner.backfill;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The one statement that changes one batch of rows and records it in the checkpoint.
 *
 * <pre>
 * WITH lockstep_bound AS (            -- the range's upper end: the key n rows on, or the last key
 *   SELECT * FROM ((SELECT pk, false AS lockstep_last FROM t WHERE (pk) &gt; (start) ORDER BY pk OFFSET n-1 LIMIT 1)
 *                  UNION ALL
 *                  (SELECT pk, true FROM t WHERE (pk) &gt; (start) ORDER BY pk DESC LIMIT 1)) k LIMIT 1),
 * lockstep_changed AS (
 *   UPDATE t SET &lt;set&gt; WHERE (pk) &gt; (start) AND (pk) &lt;= (SELECT pk FROM lockstep_bound) AND (&lt;where&gt;)
 *   RETURNING 1),
 * lockstep_progress AS (
 *   UPDATE lockstep_backfill_progress SET last_key = &lt;the bound&gt;, rows_done = rows_done + (SELECT count(*) FROM lockstep_changed), ...
 *    WHERE checkpoint = ... AND batches = &lt;as read&gt; AND finished_at IS NULL
 *   RETURNING 1)
 * SELECT &lt;rows changed&gt;, &lt;checkpoint rows updated&gt;, &lt;the bound as text&gt;, lockstep_last
 * </pre>
 *
 * <p>Why it is fast: the batch is one statement over a bounded range of the primary key, so
 * PostgreSQL walks the key's index from the start to the bound ({@code Index Cond: id &gt; 5000 AND
 * id &lt;= $1}) and changes the rows it finds — no separate pass that selects and locks them first,
 * and no round trip for the checkpoint, which is written by the same statement. The bound is found
 * on the index alone (an index-only scan of n entries). Ranges cover keys, not matching rows, so a
 * stretch of rows that no longer match costs a read, never a change.
 *
 * <p>Why each matching row is changed exactly once under concurrent writes:
 *
 * <ul>
 *   <li>The ranges follow each other without overlap or gap: each starts after the bound the
 *       previous one recorded, and that bound is committed with the rows it covers. A killed run
 *       resumes after the last committed bound.
 *   <li>The {@code where} is what keeps a row in the backfill; a row that already has the new value
 *       (written by the application's dual writes) drops out, so concurrent inserts do not make the
 *       backfill chase them.
 *   <li>An {@code UPDATE} locks each row it changes and, when another session changed the row
 *       meanwhile, waits for it and checks the {@code where} again on the newest version. It waits
 *       (under lock_timeout, then the batch is retried) and never skips a row.
 *   <li>Two runners on one checkpoint: the checkpoint row is changed only if it still shows the
 *       batches the runner read; the second runner's statement changes nothing there and is rolled
 *       back, rows included, and that runner reads the checkpoint again.
 * </ul>
 *
 * <p>The range's upper end is also bounded on the key's first column alone ({@code a &lt;= $1}) for
 * a composite key, so that the planner estimates a narrow range and walks the index rather than the
 * whole table. The author's text goes on lines of its own, so that a {@code --} comment in it ends
 * with its line. Key values are inlined as escaped literals rather than bound as JDBC parameters,
 * because the JDBC driver would take a {@code ?} in the author's text (the jsonb operator) for a
 * parameter.
 */
final class BatchStatement {

  /** What the batch records in the checkpoint row besides the rows and the bound. */
  record Figures(long rowsPerSecond, long longestBatchMillis, int batchSize) {}

  private BatchStatement() {}

  /**
   * @param batchesBefore the checkpoint's batches as read: the statement records the batch only if
   *     they are still that many
   */
  static String sql(BackfillTable table, String set, String where, BatchStart start, int batchSize,
      String checkpoint, long batchesBefore, Figures figures) {
    return sql(table, set, where, start, null, batchSize, checkpoint, batchesBefore, figures);
  }

  /**
   * @param upTo the last key any batch may cover (included), or null for the whole table: an undo
   *     stops where the backfill it undoes stopped, so the ranges end there and the batch that
   *     reaches it is the last
   */
  static String sql(BackfillTable table, String set, String where, BatchStart start, List<String> upTo,
      int batchSize, String checkpoint, long batchesBefore, Figures figures) {
    String key = table.keyList(null);
    String after = "(" + key + ") " + (start.inclusive() ? ">=" : ">") + " (" + castKey(table, start.key()) + ")"
        + (upTo == null ? "" : " AND (" + key + ") <= (" + castKey(table, upTo) + ")");
    String first = table.keyColumns().get(0).quoted();
    boolean composite = table.keyColumns().size() > 1;
    String t = table.qualifiedName();
    return "WITH lockstep_bound AS (\n"
        + "  SELECT * FROM (\n"
        + "    (SELECT " + key + ", false AS lockstep_last FROM " + t + " WHERE " + after
        + " ORDER BY " + key + " OFFSET " + (batchSize - 1) + " LIMIT 1)\n"
        + "    UNION ALL\n"
        + "    (SELECT " + key + ", true FROM " + t + " WHERE " + after + " ORDER BY " + descending(table)
        + " LIMIT 1)) AS lockstep_ends\n"
        + "  LIMIT 1),\n"
        + "lockstep_changed AS (\n"
        + "UPDATE " + t + " SET\n"
        + set + "\n"
        + "WHERE " + after + "\n"
        + "  AND (" + key + ") <= (SELECT " + key + " FROM lockstep_bound)\n"
        + (composite
            ? "  AND " + first + " >= " + castKey(table, start.key().subList(0, 1))
                + " AND " + first + " <= (SELECT " + first + " FROM lockstep_bound)\n"
            : "")
        + "  AND (\n"
        + where + "\n"
        + ")\n"
        + "RETURNING 1),\n"
        + "lockstep_progress AS (\n"
        + "UPDATE " + Checkpoints.TABLE + " SET\n"
        + "  last_key = coalesce((SELECT ARRAY[" + keyAsText(table, "lockstep_bound") + "] FROM lockstep_bound), last_key),\n"
        + "  rows_done = rows_done + (SELECT count(*) FROM lockstep_changed),\n"
        + "  batches = batches + (SELECT count(*) FROM lockstep_bound),\n"
        + "  longest_batch_ms = greatest(longest_batch_ms, " + figures.longestBatchMillis() + "),\n"
        + "  rows_per_second = " + figures.rowsPerSecond() + ",\n"
        + "  batch_size = " + figures.batchSize() + ",\n"
        + "  throttled = NULL,\n"
        + "  updated_at = now(),\n"
        + "  finished_at = CASE WHEN (SELECT lockstep_last FROM lockstep_bound) IS NOT FALSE THEN now() END\n"
        + " WHERE checkpoint = " + escapedLiteral(checkpoint) + " AND batches = " + batchesBefore
        + " AND finished_at IS NULL\n"
        + "RETURNING 1)\n"
        + "SELECT (SELECT count(*) FROM lockstep_changed), (SELECT count(*) FROM lockstep_progress),\n"
        + "       lockstep_bound.lockstep_last, " + keyAsText(table, "lockstep_bound") + "\n"
        + "  FROM (SELECT 1) AS lockstep_one LEFT JOIN lockstep_bound ON true";
  }

  /** The statement PostgreSQL checks before anything changes: the author's SET and WHERE on the table. */
  static String check(BackfillTable table, String set, String where) {
    return "UPDATE " + table.qualifiedName() + " SET\n" + set + "\nWHERE (\n" + where + "\n)";
  }

  /** The table's first key, as text: where the first batch starts. */
  static String firstKey(BackfillTable table) {
    return "SELECT " + keyAsText(table, null) + " FROM " + table.qualifiedName()
        + " ORDER BY " + table.keyList(null) + " LIMIT 1";
  }

  private static String castKey(BackfillTable table, List<String> key) {
    return IntStream.range(0, key.size())
        .mapToObj(i -> "CAST(" + escapedLiteral(key.get(i)) + " AS " + table.keyColumns().get(i).type() + ")")
        .collect(Collectors.joining(", "));
  }

  private static String keyAsText(BackfillTable table, String qualifier) {
    return table.keyColumns().stream()
        .map(c -> (qualifier == null ? "" : qualifier + ".") + c.quoted() + "::text")
        .collect(Collectors.joining(", "));
  }

  /** Orders by the typed key columns, last first (not by their text, which would sort 10 before 9). */
  private static String descending(BackfillTable table) {
    return table.keyColumns().stream()
        .map(c -> c.quoted() + " DESC")
        .collect(Collectors.joining(", "));
  }

  /**
   * An {@code E''} literal: backslashes and quotes escaped, so that it reads the same whatever
   * {@code standard_conforming_strings} is set to.
   */
  static String escapedLiteral(String text) {
    return "E'" + text.replace("\\", "\\\\").replace("'", "''") + "'";
  }
}
