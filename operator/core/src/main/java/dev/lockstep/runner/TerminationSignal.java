package dev.lockstep.runner;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SIGTERM, as a runner sees it: Kubernetes sends it when the runner's pod is deleted, waits the
 * pod's {@code terminationGracePeriodSeconds}, then kills the process. A runner polls {@link
 * #requested()} where stopping is safe (a backfill between batches) and ends with a result saying it
 * was interrupted.
 *
 * <p>One interface for both worlds: in a container the JVM's shutdown hook (which SIGTERM runs)
 * requests it and holds the JVM until the runner has written its result; in the test world the
 * simulated kubelet calls {@link #request()} on the in-process container's signal.
 */
public final class TerminationSignal {

  private final boolean ofProcess;
  private final AtomicBoolean armed = new AtomicBoolean();
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile boolean requested;

  private TerminationSignal(boolean ofProcess) {
    this.ofProcess = ofProcess;
  }

  /** The signal of this JVM: SIGTERM reaches it through a shutdown hook, once {@link #arm()} added it. */
  public static TerminationSignal ofProcess() {
    return new TerminationSignal(true);
  }

  /** A signal someone else sends by calling {@link #request()}: the simulated kubelet, a test. */
  public static TerminationSignal inProcess() {
    return new TerminationSignal(false);
  }

  /**
   * Called by a runner command as it starts. For this JVM's signal it adds the shutdown hook:
   * SIGTERM then requests the stop and the hook waits for {@link #finished()}, so the JVM does not
   * end before the result is written (the kubelet's SIGKILL after the grace period ends it anyway).
   */
  public void arm() {
    if (ofProcess && armed.compareAndSet(false, true)) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        requested = true;
        awaitFinished();
      }, "lockstep-sigterm"));
    }
  }

  /** SIGTERM: the runner is asked to stop at the next safe point. */
  public void request() {
    requested = true;
  }

  /** Whether SIGTERM arrived. */
  public boolean requested() {
    return requested;
  }

  /** The runner has written its result; a shutdown hook waiting for it may let the JVM end. */
  public void finished() {
    finished.countDown();
  }

  private void awaitFinished() {
    boolean interrupted = false;
    while (true) {
      try {
        finished.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
