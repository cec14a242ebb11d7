package dev.lockstep.runner.retry;

import java.time.Duration;

/** Waits; a seam so that the retry logic can be tested without waiting. */
@FunctionalInterface
public interface Sleeper {

  Sleeper THREAD = duration -> Thread.sleep(duration.toMillis());

  void sleep(Duration duration) throws InterruptedException;
}
