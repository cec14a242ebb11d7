package dev.lockstep.bench;

import dev.lockstep.runner.SqlErrors;
import dev.lockstep.world.database.DatabaseLogin;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * An online application's traffic on the benchmark table: several threads, each with its own
 * connection, sending short requests ({@link LoadRequest}) at a fixed pace.
 *
 * <p>Each request is due at a fixed time, and its latency counts from then, not from when it was
 * sent. A thread stuck behind a lock sends nothing, so the requests it owed meanwhile start late,
 * and their latency includes that delay: a stall shows up in every request a real application would
 * have made during it, not only in the one that was waiting (no "coordinated omission"). When the
 * load stops, the backlog of a stall is still sent and counted: those are the requests that waited
 * longest.
 *
 * <p>A request that waits longer than {@link #REQUEST_LIMIT} is cancelled, counted as failed, and
 * stops the load: the benchmark reports that rather than wait without bound.
 */
final class LoadGenerator implements AutoCloseable {

  static final Duration REQUEST_LIMIT = Duration.ofSeconds(60);

  private final List<Worker> workers = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicReference<String> abortReason = new AtomicReference<>();
  /** Cleared when a request waited too long: the threads stop at once. */
  private volatile boolean running = true;
  /** Requests due before this instant (System.nanoTime) are warm-up and not recorded. */
  private volatile long recordFromNanos = Long.MAX_VALUE;
  /** Requests due from this instant on are not sent; those due before are, however late. */
  private volatile long stopAtNanos = Long.MAX_VALUE;
  private LoadResult result;

  private LoadGenerator() {}

  /**
   * Opens one connection per thread, then starts the threads.
   *
   * @param keys the table holds rows with keys {@code 1..keys}; reads and updates pick among them
   */
  static LoadGenerator start(DatabaseLogin login, int threads, int requestsPerSecond, long keys) {
    LoadGenerator load = new LoadGenerator();
    DataSource dataSource = login.dataSource();
    long intervalNanos = TimeUnit.SECONDS.toNanos(threads) / requestsPerSecond;
    long start = System.nanoTime();
    try {
      for (int i = 0; i < threads; i++) {
        // Spread the threads over one interval, so that the requests arrive evenly.
        load.workers.add(load.new Worker(dataSource, keys, intervalNanos, start + intervalNanos * i / threads));
      }
    } catch (SQLException e) {
      load.workers.forEach(Worker::disconnect);
      throw new BenchmarkFailure("the load cannot connect: " + SqlErrors.describe(e), e);
    }
    for (int i = 0; i < load.workers.size(); i++) {
      Thread thread = new Thread(load.workers.get(i), "lockstep-bench-load-" + (i + 1));
      thread.setDaemon(true);
      load.threads.add(thread);
      thread.start();
    }
    return load;
  }

  /** From now on requests count; those before were warm-up (connections, JIT, caches). */
  void startRecording() {
    recordFromNanos = System.nanoTime();
  }

  /** Why the load stopped on its own, or null. */
  String abortReason() {
    return abortReason.get();
  }

  /**
   * Sends no request due from now on, waits until every request due before has been answered —
   * the backlog a stall left behind included: those requests are the ones that waited longest —
   * then closes every connection and sums up.
   */
  LoadResult stop() {
    if (result != null) {
      return result;
    }
    long stoppedNanos = System.nanoTime();
    stopAtNanos = stoppedNanos;
    boolean interrupted = false;
    for (Thread thread : threads) {
      LockSupport.unpark(thread);
      while (thread.isAlive()) {
        try {
          // Each request ends within REQUEST_LIMIT (the driver cancels it then), and a backlog
          // drains at the pace the database answers; a thread that takes longer than this is stuck.
          thread.join(REQUEST_LIMIT.multipliedBy(2).toMillis());
          if (thread.isAlive()) {
            abortReason.compareAndSet(null, thread.getName() + " did not stop");
            break;
          }
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    workers.forEach(Worker::disconnect);
    List<LatencyRecorder> recorders = workers.stream().map(w -> w.recorder).toList();
    long recordedNanos = recordFromNanos == Long.MAX_VALUE ? 0 : stoppedNanos - recordFromNanos;
    result = new LoadResult(LatencyRecorder.merge(recorders), Duration.ofNanos(recordedNanos), abortReason.get(),
        recorders);
    return result;
  }

  @Override
  public void close() {
    stop();
  }

  /** One thread of the load: its connection, its prepared statements, its schedule. */
  private final class Worker implements Runnable {

    private final DataSource dataSource;
    private final long keys;
    private final long intervalNanos;
    private final LatencyRecorder recorder = new LatencyRecorder();
    private long dueNanos;
    private Connection connection;
    private final Map<LoadRequest, PreparedStatement> statements = new EnumMap<>(LoadRequest.class);

    Worker(DataSource dataSource, long keys, long intervalNanos, long firstDueNanos) throws SQLException {
      this.dataSource = dataSource;
      this.keys = keys;
      this.intervalNanos = intervalNanos;
      this.dueNanos = firstDueNanos;
      connect();
    }

    @Override
    public void run() {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      try {
        while (running && dueNanos < stopAtNanos) {
          long early = dueNanos - System.nanoTime();
          if (early > 0) {
            LockSupport.parkNanos(early);
            continue;
          }
          send(LoadRequest.pick(random), random);
          dueNanos += intervalNanos;
        }
      } catch (RuntimeException e) {
        // Not a failed request but a broken benchmark: its figures would be missing this thread.
        abortReason.compareAndSet(null, Thread.currentThread().getName() + " failed: " + e);
        running = false;
      }
    }

    private void send(LoadRequest request, ThreadLocalRandom random) {
      boolean recorded = dueNanos >= recordFromNanos;
      long sentNanos = System.nanoTime();
      try {
        if (connection == null) {
          connect();
        }
        request.execute(statements.get(request), random, keys);
        if (recorded) {
          recorder.succeeded(dueNanos, System.nanoTime());
        }
      } catch (SQLException e) {
        long endNanos = System.nanoTime();
        if (recorded) {
          recorder.failed(dueNanos, endNanos, e);
        }
        if (endNanos - sentNanos >= REQUEST_LIMIT.toNanos()) {
          abortReason.compareAndSet(null,
              "a " + request.name().toLowerCase(Locale.ROOT) + " waited more than " + REQUEST_LIMIT.toSeconds()
                  + " s; the change holds its locks too long for this benchmark (try fewer --rows)");
          running = false;
        }
        reconnectIfBroken();
      }
    }

    private void connect() throws SQLException {
      connection = dataSource.getConnection();
      try {
        connection.setAutoCommit(true);
        for (LoadRequest request : LoadRequest.values()) {
          PreparedStatement statement = request.prepare(connection);
          // The driver cancels a request that runs longer than this.
          statement.setQueryTimeout((int) REQUEST_LIMIT.toSeconds());
          statements.put(request, statement);
        }
      } catch (SQLException e) {
        disconnect();
        throw e;
      }
    }

    /** After an error the session may be gone (a restarted server); the next request reconnects. */
    private void reconnectIfBroken() {
      try {
        if (connection != null && connection.isValid(1)) {
          return;
        }
      } catch (SQLException e) {
        // treated as broken
      }
      disconnect();
    }

    void disconnect() {
      statements.clear();
      if (connection != null) {
        try {
          connection.close();
        } catch (SQLException e) {
          // closing a broken connection; nothing more to do
        }
        connection = null;
      }
    }
  }
}
