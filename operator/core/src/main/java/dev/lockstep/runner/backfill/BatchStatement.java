package dev.lockstep.runner.backfill;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The one statement that changes one batch of rows.
 *
 * <pre>
 * WITH lockstep_changed AS (
 *   UPDATE t SET &lt;set&gt;
 *    WHERE (pk) IN (SELECT pk FROM t
 *                    WHERE (pk) &gt; (last key) AND (&lt;where&gt;)
 *                    ORDER BY pk LIMIT n
 *                    FOR NO KEY UPDATE)
 *   RETURNING pk)
 * SELECT pk::text..., count(*) OVER () FROM lockstep_changed ORDER BY pk DESC LIMIT 1
 * </pre>
 *
 * <p>Why it is correct under concurrent writes:
 *
 * <ul>
 *   <li>Keyset pagination: each batch starts after the last key of the previous one, so a row is
 *       never visited twice, and the work ends when no row after the last key matches.
 *   <li>The {@code where} is what keeps a row in the backfill; a row that already has the new value
 *       (written by the application's dual writes) drops out, so concurrent inserts do not make the
 *       backfill chase them.
 *   <li>{@code FOR NO KEY UPDATE} locks the batch's rows before they are changed; PostgreSQL
 *       re-checks the {@code where} on the newest version of a row another session changed
 *       meanwhile. It waits (under lock_timeout, then the batch is retried) rather than {@code SKIP
 *       LOCKED}: a skipped row lies behind the new last key and would never be visited again.
 * </ul>
 *
 * <p>The author's text goes on lines of its own, so that a {@code --} comment in it ends with its
 * line. Key values are inlined as escaped literals rather than bound as JDBC parameters, because
 * the JDBC driver would take a {@code ?} in the author's text (the jsonb operator) for a parameter.
 */
final class BatchStatement {

  private BatchStatement() {}

  /**
   * @param lastKey the text of each key column of the last row changed, or null before the first batch
   */
  static String sql(BackfillTable table, String set, String where, List<String> lastKey, int batchSize) {
    String key = table.keyList(null);
    String after = lastKey == null ? "" : "(" + key + ") > (" + castKey(table, lastKey) + ") AND ";
    return "WITH lockstep_changed AS (\n"
        + "UPDATE " + table.qualifiedName() + " SET\n"
        + set + "\n"
        + "WHERE (" + key + ") IN (\n"
        + "  SELECT " + key + " FROM " + table.qualifiedName() + "\n"
        + "   WHERE " + after + "(\n"
        + where + "\n"
        + ")\n"
        + "   ORDER BY " + key + "\n"
        + "   LIMIT " + batchSize + "\n"
        + "   FOR NO KEY UPDATE)\n"
        + "RETURNING " + key + ")\n"
        + "SELECT " + keyAsText(table) + ", count(*) OVER ()\n"
        + "  FROM lockstep_changed\n"
        + " ORDER BY " + descending(table) + "\n"
        + " LIMIT 1";
  }

  private static String castKey(BackfillTable table, List<String> lastKey) {
    return IntStream.range(0, lastKey.size())
        .mapToObj(i -> "CAST(" + escapedLiteral(lastKey.get(i)) + " AS " + table.keyColumns().get(i).type() + ")")
        .collect(Collectors.joining(", "));
  }

  private static String keyAsText(BackfillTable table) {
    return table.keyColumns().stream()
        .map(c -> "lockstep_changed." + c.quoted() + "::text")
        .collect(Collectors.joining(", "));
  }

  /** Orders by the typed columns of the CTE (not by their text, which would sort 10 before 9). */
  private static String descending(BackfillTable table) {
    return table.keyColumns().stream()
        .map(c -> "lockstep_changed." + c.quoted() + " DESC")
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
