package dev.lockstep.examples.orders;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the database's schema version as the application last read it: once at startup (until then
 * the application is not ready), then every {@code period}, and at once when a statement shows the
 * table changed under it.
 */
public final class SchemaWatch implements AutoCloseable {

  private final Connections connections;
  private final Duration period;
  private final AppLog log;
  private final ScheduledExecutorService timer;
  private volatile SchemaReading reading = SchemaReading.notYet();

  public SchemaWatch(Connections connections, Duration period, AppLog log, String threadName) {
    this.connections = connections;
    this.period = period;
    this.log = log;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, threadName);
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Starts the periodic reads; the first one, the startup check, right away. */
  public void start() {
    timer.scheduleWithFixedDelay(this::refresh, 0, period.toMillis(), TimeUnit.MILLISECONDS);
  }

  public SchemaReading current() {
    return reading;
  }

  /** Reads the version now, e.g. after a statement met a column that is not there any more. */
  public synchronized SchemaReading refresh() {
    SchemaReading now;
    try (Connection connection = connections.open()) {
      Optional<SchemaVersion> version = SchemaHistory.currentVersion(connection);
      now = SchemaReading.of(version);
    } catch (SQLException | RuntimeException e) {
      now = SchemaReading.failed(e.getMessage());
    }
    SchemaReading before = reading;
    reading = now;
    if (!Objects.equals(before.version(), now.version()) || !Objects.equals(before.error(), now.error())) {
      log.info(now.error() != null
          ? "cannot read the schema version: " + now.error()
          : "schema version " + now.version().map(SchemaVersion::toString).orElse("none (nothing migrated yet)"));
    }
    return now;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
