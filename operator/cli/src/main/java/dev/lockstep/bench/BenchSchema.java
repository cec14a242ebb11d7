package dev.lockstep.bench;

import dev.lockstep.runner.SqlErrors;
import dev.lockstep.world.database.DatabaseLogin;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * The schema the benchmark works in, {@value #NAME}: dropped and created again before each phase,
 * so that every phase starts from the same freshly loaded table, and dropped at the end.
 *
 * <p>Everything — the table, Flyway's history, the backfill checkpoint — lives in it, because the
 * runner, the load threads and Flyway all connect with {@code currentSchema=}{@value #NAME}. So a
 * team can point the benchmark at a staging database that already has its own tables and Flyway
 * history: none of them is touched.
 */
final class BenchSchema {

  static final String NAME = "lockstep_bench";

  private final DatabaseLogin server;
  private final DatabaseLogin schema;

  BenchSchema(DatabaseLogin server) {
    this.server = server;
    this.schema = new DatabaseLogin(inSchema(server.jdbcUrl()), server.username(), server.password());
  }

  /** The URL with {@code currentSchema} set, so that every session resolves names in this schema. */
  private static String inSchema(String jdbcUrl) {
    if (jdbcUrl.toLowerCase(Locale.ROOT).contains("currentschema=")) {
      throw new IllegalArgumentException(
          "--jdbc-url sets currentSchema; leave it out: the benchmark works in a schema of its own, " + NAME);
    }
    return jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "currentSchema=" + NAME;
  }

  /** How the runner and the load reach the schema. */
  DatabaseLogin login() {
    return schema;
  }

  /** Drops the schema with everything in it, then creates it empty. */
  void recreate() {
    execute(server, "DROP SCHEMA IF EXISTS " + NAME + " CASCADE", "CREATE SCHEMA " + NAME);
  }

  void drop() {
    execute(server, "DROP SCHEMA IF EXISTS " + NAME + " CASCADE");
  }

  /**
   * Sets the hint bits and the visibility map of a freshly loaded table and gathers its statistics,
   * so that no phase pays for that work and the planner knows the table's size.
   */
  void vacuumAnalyze(String table) {
    execute(schema, "VACUUM (ANALYZE) " + table);
  }

  /** e.g. {@code PostgreSQL 14.22}. */
  String serverVersion() {
    return "PostgreSQL " + query(server, "SHOW server_version");
  }

  /** A setting of the server as the benchmark's sessions see it, e.g. {@code synchronous_commit}. */
  String setting(String name) {
    return query(schema, "SELECT current_setting('" + name + "')");
  }

  /** The one value of a one-row query, run in the schema, as text. */
  String query(String sql) {
    return query(schema, sql);
  }

  /** Runs {@code sql} in the schema in its own transaction and returns how long it took, in nanoseconds. */
  long timed(String sql) {
    try (Connection connection = schema.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      long started = System.nanoTime();
      statement.execute(sql);
      return System.nanoTime() - started;
    } catch (SQLException e) {
      throw failure(sql, e);
    }
  }

  private static String query(DatabaseLogin login, String sql) {
    try (Connection connection = login.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      return result.next() ? result.getString(1) : null;
    } catch (SQLException e) {
      throw failure(sql, e);
    }
  }

  private static void execute(DatabaseLogin login, String... statements) {
    try (Connection connection = login.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    } catch (SQLException e) {
      throw failure(String.join("; ", statements), e);
    }
  }

  private static BenchmarkFailure failure(String sql, SQLException e) {
    return new BenchmarkFailure(sql + " failed: " + SqlErrors.describe(e), e);
  }
}
