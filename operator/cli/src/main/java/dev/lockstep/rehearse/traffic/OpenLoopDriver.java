package dev.lockstep.rehearse.traffic;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Sends a plan's requests at a fixed rate, open loop: request {@code n} is due at {@code n / rate}
 * seconds after the first pod became ready, whether or not earlier ones were answered, and its
 * latency counts from when it was due. A stall of the application therefore shows in every request
 * that was due during it, as users would feel it, instead of slowing the load down.
 */
public final class OpenLoopDriver implements AutoCloseable {

  /** How often the ready pods are listed again (a Service's endpoints lag about as much). */
  private static final Duration ENDPOINTS_REFRESH = Duration.ofMillis(250);

  private final TrafficPlan plan;
  private final Supplier<List<String>> readyPods;
  private final Supplier<Segment> position;
  private final TrafficRecorder recorder;
  private final long periodNanos;
  private final Duration timeout;
  private final HttpClient client;
  private final ScheduledExecutorService endpointsRefresh;
  private final Thread scheduler;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile List<String> endpoints = List.of();
  private volatile boolean endpointsKnown;
  private volatile boolean stopped;

  private OpenLoopDriver(TrafficPlan plan, Supplier<List<String>> readyPods, Supplier<Segment> position,
      TrafficRecorder recorder, int rate, Duration timeout) {
    this.plan = plan;
    this.readyPods = readyPods;
    this.position = position;
    this.recorder = recorder;
    this.periodNanos = 1_000_000_000L / rate;
    this.timeout = timeout;
    this.client = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    this.endpointsRefresh = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "traffic-endpoints"));
    this.scheduler = daemon(this::run, "traffic-scheduler");
  }

  /**
   * Starts refreshing the ready pods at once, and sending once the first one is ready.
   *
   * @param rate requests per second, at least 1
   * @param position where the rollout is now; read when each request is due
   */
  public static OpenLoopDriver start(TrafficPlan plan, Supplier<List<String>> readyPods, Supplier<Segment> position,
      TrafficRecorder recorder, int rate, Duration timeout) {
    if (rate < 1) {
      throw new IllegalArgumentException("--traffic is " + rate + "; give requests per second, at least 1");
    }
    OpenLoopDriver driver = new OpenLoopDriver(plan, readyPods, position, recorder, rate, timeout);
    driver.endpointsRefresh.scheduleWithFixedDelay(driver::refresh, 0, ENDPOINTS_REFRESH.toMillis(),
        TimeUnit.MILLISECONDS);
    driver.scheduler.start();
    return driver;
  }

  /** Whether requests are flowing: a pod has been ready at least once. */
  public boolean started() {
    return endpointsKnown;
  }

  private void refresh() {
    try {
      List<String> ready = readyPods.get();
      endpoints = ready;
      if (!ready.isEmpty()) {
        endpointsKnown = true;
      }
    } catch (RuntimeException e) {
      // The API server is busy or restarting: keep the last known endpoints, as kube-proxy does.
    }
  }

  private void run() {
    try {
      while (!stopped && !endpointsKnown) {
        Thread.sleep(20);
      }
      long zero = System.nanoTime();
      Instant wallZero = Instant.now();
      for (long sequence = 0; !stopped; sequence++) {
        long dueNanos = zero + sequence * periodNanos;
        long wait = dueNanos - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        send(sequence, dueNanos, wallZero.plusNanos(dueNanos - zero));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void send(long sequence, long dueNanos, Instant due) {
    Segment segment = position.get();
    List<String> pods = endpoints;
    if (pods.isEmpty()) {
      recorder.record(due, segment, Duration.ZERO, FailureKind.NO_READY_POD);
      return;
    }
    PlannedRequest planned = plan.next(sequence, pods.get((int) (sequence % pods.size())));
    inFlight.incrementAndGet();
    client.sendAsync(planned.request(), HttpResponse.BodyHandlers.ofString()).whenComplete((answer, error) -> {
      try {
        Duration latency = Duration.ofNanos(System.nanoTime() - dueNanos);
        FailureKind failure;
        if (error != null) {
          Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
          failure = cause instanceof HttpTimeoutException ? FailureKind.TIMEOUT : FailureKind.CONNECTION;
          planned.judge().unanswered();
        } else {
          failure = planned.judge().answered(answer.statusCode(), answer.body());
        }
        recorder.record(due, segment, latency, failure);
      } finally {
        inFlight.decrementAndGet();
      }
    });
  }

  /** The ready pods as last listed. */
  public List<String> endpoints() {
    return endpoints;
  }

  /** Stops sending and waits for the answers still on their way (at most the request timeout). */
  @Override
  public void close() throws InterruptedException {
    stopped = true;
    scheduler.interrupt();
    scheduler.join(timeout.toMillis());
    long deadline = System.nanoTime() + timeout.plusSeconds(1).toNanos();
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    endpointsRefresh.shutdownNow();
  }

  private static Thread daemon(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }
}
