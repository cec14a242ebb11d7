package dev.lockstep.examples.orders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;

/**
 * A real PostgreSQL for one test class, and databases migrated with Flyway by the scripts of
 * {@code examples/orders/migrations.yaml}: the schema the application meets in the example.
 */
final class OrdersDatabase {

  private static final AtomicInteger DATABASES = new AtomicInteger();

  private final EmbeddedPostgres server;
  private final Path scripts;

  private OrdersDatabase(EmbeddedPostgres server, Path scripts) {
    this.server = server;
    this.scripts = scripts;
  }

  private static OrdersDatabase shared;

  /**
   * The server every test class of this module shares (starting one takes seconds, a database
   * milliseconds); it stops when the test JVM exits.
   */
  static synchronized OrdersDatabase shared() throws IOException {
    if (shared == null) {
      OrdersDatabase started = new OrdersDatabase(EmbeddedPostgres.start(), exampleScripts());
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          started.server.close();
        } catch (IOException e) {
          // the JVM is exiting; the server's directory is temporary
        }
      }));
      shared = started;
    }
    return shared;
  }

  /** A new database, migrated up to {@code version} ("0" leaves it empty). */
  Database create(String version) {
    String name = "orders_" + DATABASES.incrementAndGet();
    try (Connection admin = server.getPostgresDatabase().getConnection();
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    Database database = new Database(server.getJdbcUrl("postgres", name), scripts);
    if (!version.equals("0")) {
      database.migrateTo(version);
    }
    return database;
  }

  /** The example's V scripts, written out as files for Flyway. */
  private static Path exampleScripts() throws IOException {
    Path manifest = Path.of(System.getProperty("orders.migrations", "../orders/migrations.yaml"));
    JsonNode data = new ObjectMapper(new YAMLFactory()).readTree(manifest.toFile()).path("data");
    Path directory = Files.createTempDirectory("orders-migrations-");
    for (Iterator<Map.Entry<String, JsonNode>> files = data.fields(); files.hasNext(); ) {
      Map.Entry<String, JsonNode> file = files.next();
      if (file.getKey().startsWith("V")) {
        Files.writeString(directory.resolve(file.getKey()), file.getValue().asText());
      }
    }
    return directory;
  }

  /** One database of the test server. */
  record Database(String url, Path scripts) {

    private static final SchemaVersion REQUIRES_CENTS = SchemaVersion.parse("2.1");

    Connections connections() {
      return () -> DriverManager.getConnection(url, "postgres", "");
    }

    /**
     * Migrates up to {@code version}. Passing version 2.1 (the constraint that requires total_cents)
     * first fills total_cents as the example's {@code fill} backfill step does, in one statement here.
     */
    void migrateTo(String version) {
      SchemaVersion target = SchemaVersion.parse(version);
      var current = flyway("2").info().current();
      boolean filled = current != null && !SchemaVersion.parse(current.getVersion().getVersion()).isBefore(REQUIRES_CENTS);
      if (!target.isBefore(REQUIRES_CENTS) && !filled) {
        flyway("2").migrate();
        execute("UPDATE orders SET total_cents = (total * 100)::bigint WHERE total_cents IS NULL");
      }
      flyway(version).migrate();
    }

    private Flyway flyway(String target) {
      return Flyway.configure().dataSource(url, "postgres", "").locations("filesystem:" + scripts)
          .target(target).load();
    }

    void execute(String sql) {
      try (Connection c = connections().open(); Statement s = c.createStatement()) {
        s.execute(sql);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    List<List<Object>> query(String sql) {
      try (Connection c = connections().open(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
        List<List<Object>> rows = new ArrayList<>();
        while (rs.next()) {
          List<Object> row = new ArrayList<>();
          for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            row.add(rs.getObject(i));
          }
          rows.add(row);
        }
        return rows;
      } catch (SQLException e) {
        throw new UncheckedIOException(new IOException(e));
      }
    }
  }
}
