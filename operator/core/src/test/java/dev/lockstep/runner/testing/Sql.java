package dev.lockstep.runner.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Reads what a test asserts on, straight from the database. */
public final class Sql {

  private Sql() {}

  /** The first column of every row, as text. */
  public static List<String> column(TestPostgres.TestDatabase database, String query) {
    List<String> values = new ArrayList<>();
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(query)) {
      while (rows.next()) {
        values.add(rows.getString(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(query, e);
    }
    return values;
  }

  /** Every row, each column as text, columns joined with '|'. */
  public static List<String> rows(TestPostgres.TestDatabase database, String query) {
    List<String> values = new ArrayList<>();
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(query)) {
      int columns = rows.getMetaData().getColumnCount();
      while (rows.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= columns; i++) {
          row.append(i > 1 ? "|" : "").append(rows.getString(i));
        }
        values.add(row.toString());
      }
    } catch (SQLException e) {
      throw new IllegalStateException(query, e);
    }
    return values;
  }

  /** The single value of a one-row, one-column query. */
  public static String value(TestPostgres.TestDatabase database, String query) {
    List<String> values = column(database, query);
    if (values.size() != 1) {
      throw new AssertionError(query + " returned " + values.size() + " rows");
    }
    return values.get(0);
  }

  /** Flyway's history as "version|script|success" rows, in the order they were written. */
  public static List<String> history(TestPostgres.TestDatabase database) {
    return rows(database, "SELECT version, script, success FROM flyway_schema_history ORDER BY installed_rank");
  }

  /** The columns of a table, in order. */
  public static List<String> columns(TestPostgres.TestDatabase database, String table) {
    return column(
        database,
        "SELECT column_name FROM information_schema.columns WHERE table_name = '" + table + "' ORDER BY ordinal_position");
  }
}
