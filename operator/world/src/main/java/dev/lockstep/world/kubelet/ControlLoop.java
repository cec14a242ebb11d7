package dev.lockstep.world.kubelet;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controllers' work queue: one thread, so controllers never race each other, and requests for
 * the same object coalesce while they wait, as in a client-go work queue.
 */
final class ControlLoop implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ControlLoop.class);

  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "world-controllers"));
  private final Set<String> queued = ConcurrentHashMap.newKeySet();

  /** Runs {@code work} soon, unless work under the same key is already waiting. */
  void request(String key, Runnable work) {
    if (queued.add(key)) {
      try {
        thread.execute(() -> {
          queued.remove(key);
          runSafely(key, work);
        });
      } catch (RejectedExecutionException closed) {
        queued.remove(key);
      }
    }
  }

  void every(long millis, Runnable work) {
    thread.scheduleWithFixedDelay(() -> runSafely("resync", work), millis, millis, TimeUnit.MILLISECONDS);
  }

  private static void runSafely(String key, Runnable work) {
    try {
      work.run();
    } catch (KubernetesClientException e) {
      // A conflict or an injected API error: the next event or resync tries again, as a
      // controller's error backoff would.
      LOG.debug("reconciling {} failed: {}", key, e.toString());
    } catch (RuntimeException e) {
      LOG.warn("reconciling {} failed", key, e);
    }
  }

  static Thread daemon(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
