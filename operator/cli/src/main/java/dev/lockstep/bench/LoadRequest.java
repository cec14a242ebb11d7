package dev.lockstep.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.random.RandomGenerator;

/**
 * The short requests of the load: what an online application does to the table all day.
 *
 * <p>Every statement names its columns: a cached plan for {@code SELECT *} would fail with
 * "cached plan must not change result type" once the change adds a column, an error of the
 * benchmark rather than of the migration.
 */
enum LoadRequest {
  /** 60%: one row by primary key. */
  READ(60, "SELECT id, customer_id, amount_cents, status FROM " + ChangeScripts.TABLE + " WHERE id = ?") {
    @Override
    void execute(PreparedStatement statement, RandomGenerator random, long keys) throws SQLException {
      statement.setLong(1, 1 + random.nextLong(keys));
      try (ResultSet row = statement.executeQuery()) {
        while (row.next()) {
          row.getLong(1);
        }
      }
    }
  },
  /** 30%: a small change to one row by primary key. */
  UPDATE(30, "UPDATE " + ChangeScripts.TABLE + " SET amount_cents = amount_cents + 1, updated_at = now() WHERE id = ?") {
    @Override
    void execute(PreparedStatement statement, RandomGenerator random, long keys) throws SQLException {
      statement.setLong(1, 1 + random.nextLong(keys));
      statement.executeUpdate();
    }
  },
  /** 10%: a new row; its key comes from the table's identity sequence. */
  INSERT(10, "INSERT INTO " + ChangeScripts.TABLE + " (customer_id, amount_cents, status) VALUES (?, ?, 'new')") {
    @Override
    void execute(PreparedStatement statement, RandomGenerator random, long keys) throws SQLException {
      statement.setInt(1, 1 + random.nextInt(ChangeScripts.CUSTOMERS));
      statement.setLong(2, 100 + random.nextInt(100_000));
      statement.executeUpdate();
    }
  };

  private final int percent;
  private final String sql;

  LoadRequest(int percent, String sql) {
    this.percent = percent;
    this.sql = sql;
  }

  /** Runs the request once on a row among the keys {@code 1..keys} the table was loaded with. */
  abstract void execute(PreparedStatement statement, RandomGenerator random, long keys) throws SQLException;

  PreparedStatement prepare(Connection connection) throws SQLException {
    return connection.prepareStatement(sql);
  }

  /** A request chosen by the mix's percentages. */
  static LoadRequest pick(RandomGenerator random) {
    int draw = random.nextInt(100);
    for (LoadRequest request : values()) {
      draw -= request.percent;
      if (draw < 0) {
        return request;
      }
    }
    throw new IllegalStateException("the percentages of the load mix add up to less than 100");
  }

  /** "60% reads by key, 30% updates by key, 10% inserts", for the report. */
  static String mix() {
    return READ.percent + "% reads by key, " + UPDATE.percent + "% updates by key, " + INSERT.percent + "% inserts";
  }
}
