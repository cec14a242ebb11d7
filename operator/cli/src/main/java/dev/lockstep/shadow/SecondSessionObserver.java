package dev.lockstep.shadow;

import dev.lockstep.shadow.Catalog.RawLock;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Observes a statement that cannot run inside a transaction block (CREATE INDEX CONCURRENTLY,
 * VACUUM, REINDEX .. CONCURRENTLY): it runs outside one, as Flyway runs it, so its locks cannot be read
 * in its own transaction, and on a small table it finishes before anyone could look.
 *
 * <p>So a blocker session first takes SHARE UPDATE EXCLUSIVE on every user table, which conflicts
 * with every lock such a statement takes on a table. The statement then runs in a worker session and
 * stops at its first table lock; the observer reads the worker's locks from {@code pg_locks} (the
 * granted ones and the one it waits for), releases the blocker, and lets the statement finish. What
 * is reported is therefore the lock the statement asks for first; later phases (CREATE INDEX
 * CONCURRENTLY waits for older transactions several times) are not.
 */
final class SecondSessionObserver implements AutoCloseable {

  /** How long the statement may take to reach its first lock, or to finish once released. */
  private static final long WAIT_MILLIS = 30_000;
  private static final long POLL_MILLIS = 5;

  record Result(List<RawLock> locks, String error) {}

  /** Opens a session to the shadow database. */
  interface Connector {
    Connection connect() throws SQLException;
  }

  private final Connector connector;
  private Connection observer;
  private Connection blocker;
  private Connection worker;
  private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
    Thread thread = new Thread(runnable, "lockstep-lint-shadow-worker");
    thread.setDaemon(true);
    return thread;
  });

  /** The three sessions are opened on first use: most scripts never need them. */
  SecondSessionObserver(Connector connector) {
    this.connector = connector;
  }

  Result observe(String sql) throws SQLException {
    if (worker == null) {
      observer = connector.connect();
      blocker = connector.connect();
      worker = connector.connect();
    }
    int workerPid = Catalog.backendPid(worker);
    blocker.setAutoCommit(false);
    lockAllTables();
    Future<String> running = executor.submit(() -> run(sql));
    List<RawLock> locks = List.of();
    try {
      locks = waitUntilBlockedOrDone(workerPid, running);
    } finally {
      blocker.rollback();
      blocker.setAutoCommit(true);
    }
    String error;
    try {
      error = running.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      cancel(workerPid);
      error = "57014: the statement did not finish on the shadow database within " + WAIT_MILLIS / 1000 + " s";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while the shadow database ran a statement", e);
    } catch (ExecutionException e) {
      throw new SQLException("the shadow database's worker session failed", e.getCause());
    }
    return new Result(locks, error);
  }

  private void lockAllTables() throws SQLException {
    List<String> tables = new ArrayList<>();
    try (Statement statement = blocker.createStatement();
        var rows = statement.executeQuery("SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c"
            + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'm')"
            + " AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')"
            + " AND n.nspname NOT LIKE 'pg_temp%'")) {
      while (rows.next()) {
        tables.add(rows.getString(1));
      }
    }
    if (!tables.isEmpty()) {
      try (Statement statement = blocker.createStatement()) {
        statement.execute("LOCK TABLE " + String.join(", ", tables) + " IN SHARE UPDATE EXCLUSIVE MODE");
      }
    }
  }

  /** Runs the statement in the worker session; its error, or null. */
  private String run(String sql) {
    try (Statement statement = worker.createStatement()) {
      statement.execute(sql);
      return null;
    } catch (SQLException e) {
      return ShadowSession.error(e);
    }
  }

  /** Polls the worker's locks until it waits for one or has finished; the locks last seen. */
  private List<RawLock> waitUntilBlockedOrDone(int workerPid, Future<String> running) throws SQLException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
    List<RawLock> locks = List.of();
    while (!running.isDone() && System.nanoTime() < deadline) {
      locks = Catalog.locks(observer, workerPid);
      if (locks.stream().anyMatch(lock -> !lock.granted())) {
        return locks;
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted while watching the shadow database", e);
      }
    }
    return locks;
  }

  private void cancel(int workerPid) throws SQLException {
    try (Statement statement = observer.createStatement()) {
      statement.execute("SELECT pg_cancel_backend(" + workerPid + ")");
    }
  }

  @Override
  public void close() throws SQLException {
    executor.shutdownNow();
    for (Connection connection : new Connection[] {observer, blocker, worker}) {
      if (connection != null) {
        connection.close();
      }
    }
  }
}
