package dev.lockstep.runner.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.runner.testing.Sql;
import dev.lockstep.runner.testing.TestPostgres;
import dev.lockstep.runner.testing.TestPostgres.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The batch statement on a real PostgreSQL: its plan, what it changes, what it records. */
class BatchStatementTest {

  private static final BatchStatement.Figures FIGURES = new BatchStatement.Figures(1234, 40, 500);

  private static TestPostgres postgres;
  private TestDatabase database;

  @BeforeAll
  static void startPostgres() {
    postgres = TestPostgres.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres.close();
  }

  @BeforeEach
  void freshDatabase() throws SQLException {
    database = postgres.createDatabase();
    database.execute(
        "CREATE TABLE items (id bigint PRIMARY KEY, v int NOT NULL, doubled int)",
        "INSERT INTO items SELECT g, g FROM generate_series(1, 100000) g",
        "CREATE TABLE lines (order_id int, sku text, v int, doubled int, PRIMARY KEY (order_id, sku))",
        "INSERT INTO lines SELECT o, 'k' || s, o FROM generate_series(1, 2000) o, generate_series(1, 50) s",
        "VACUUM ANALYZE items",
        "VACUUM ANALYZE lines");
    try (Connection c = database.connect()) {
      Checkpoints.createTableIfMissing(c);
    }
    database.execute("INSERT INTO lockstep_backfill_progress (checkpoint, table_name, set_expression, where_expression,"
        + " last_key, rows_done, batches) VALUES ('c1', 'public.items', 's', 'w', ARRAY['5000'], 5000, 10)");
  }

  /** One statement, no locking pass: the update walks the key's index between the two ends of its range. */
  @Test
  void theUpdateScansOnlyItsKeyRangeThroughTheIndex() throws SQLException {
    BackfillTable items = table("items");
    String sql = BatchStatement.sql(items, "doubled = v * 2", "doubled IS NULL", BatchStart.after(List.of("5000")),
        500, "c1", 10, FIGURES);

    String plan = explain(sql);

    assertThat(sql).doesNotContainIgnoringCase("FOR UPDATE").doesNotContainIgnoringCase("FOR NO KEY UPDATE");
    assertThat(plan).containsPattern("(?s)Index Scan using items_pkey on items .*?"
        + "Index Cond: \\(\\(id > '5000'::bigint\\) AND \\(id <= \\$\\d+\\)\\)");
    assertThat(plan).doesNotContain("Seq Scan");
  }

  @Test
  void aCompositeKeyIsBoundedOnItsFirstColumnTooSoThePlannerStaysOnTheIndex() throws SQLException {
    BackfillTable lines = table("lines");
    String sql = BatchStatement.sql(lines, "doubled = v * 2", "doubled IS NULL",
        BatchStart.after(List.of("7", "k12")), 500, "c1", 10, FIGURES);

    String plan = explain(sql);

    assertThat(plan).contains("(order_id >= 7)").containsPattern("order_id <= \\$\\d+").doesNotContain("Seq Scan");
  }

  @Test
  void changesTheMatchingRowsOfItsRangeAndRecordsTheRangeInTheSameStatement() throws SQLException {
    database.execute("UPDATE items SET doubled = -1 WHERE id BETWEEN 5101 AND 5200");
    BackfillTable items = table("items");
    String sql = BatchStatement.sql(items, "doubled = v * 2", "doubled IS NULL", BatchStart.after(List.of("5000")),
        500, "c1", 10, FIGURES);

    assertThat(run(sql)).isEqualTo("400|1|f|5500");

    assertThat(Sql.rows(database, "SELECT min(id), max(id), count(*) FROM items WHERE doubled = v * 2"))
        .containsExactly("5001|5500|400");
    assertThat(Sql.rows(database, "SELECT last_key, rows_done, batches, longest_batch_ms, rows_per_second, batch_size,"
        + " finished_at IS NULL FROM lockstep_backfill_progress"))
        .containsExactly("{5500}|5400|11|40|1234|500|t");
  }

  @Test
  void theLastRangeReachesTheLastKeyAndFinishesTheCheckpoint() throws SQLException {
    BackfillTable items = table("items");
    String sql = BatchStatement.sql(items, "doubled = v * 2", "doubled IS NULL", BatchStart.after(List.of("99800")),
        500, "c1", 10, FIGURES);

    assertThat(run(sql)).isEqualTo("200|1|t|100000");
    assertThat(Sql.value(database, "SELECT finished_at IS NOT NULL FROM lockstep_backfill_progress")).isEqualTo("t");
  }

  /** A second runner read the checkpoint before this one moved it: its statement records nothing. */
  @Test
  void aStaleCheckpointIsNotRecordedSoTheRunnerRollsTheBatchBack() throws SQLException {
    BackfillTable items = table("items");
    String sql = BatchStatement.sql(items, "doubled = v * 2", "doubled IS NULL", BatchStart.after(List.of("5000")),
        500, "c1", 9, FIGURES);

    assertThat(run(sql)).startsWith("500|0|");
  }

  private BackfillTable table(String name) throws SQLException {
    try (Connection c = database.connect()) {
      return TableCatalog.resolve(c, name);
    }
  }

  private String explain(String sql) throws SQLException {
    try (Connection c = database.connect(); Statement s = c.createStatement();
        ResultSet plan = s.executeQuery("EXPLAIN " + sql)) {
      StringBuilder text = new StringBuilder();
      while (plan.next()) {
        text.append(plan.getString(1)).append('\n');
      }
      return text.toString();
    }
  }

  /** Runs the statement in its own transaction and returns its row as {@code a|b|c|...}. */
  private String run(String sql) throws SQLException {
    try (Connection c = database.connect(); Statement s = c.createStatement(); ResultSet row = s.executeQuery(sql)) {
      row.next();
      StringBuilder text = new StringBuilder();
      for (int i = 1; i <= row.getMetaData().getColumnCount(); i++) {
        text.append(i == 1 ? "" : "|").append(row.getString(i));
      }
      return text.toString();
    }
  }
}
