package dev.lockstep.runner.backfill.throttle;

import dev.lockstep.gates.Reading;
import dev.lockstep.runner.retry.Sleeper;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Holds a backfill's batches back while its throttle's value is over the maximum, like
 * gh-ost's and pt-online-schema-change's replication-lag checks: before a batch, the value is read
 * (at most once per interval while it stays within bounds), and while it is over the maximum — or
 * cannot be read, which is treated the same, since a throttle exists to protect the application —
 * the backfill waits and reads it again every interval. Why it waits is written where the
 * operator's progress line picks it up.
 */
public final class ThrottleGate {

  /** Where the reason for a pause goes while it lasts (the checkpoint row), for the operator. */
  @FunctionalInterface
  public interface Status {
    void throttled(String reason) throws Exception;
  }

  /** Longest query text quoted in a reason. */
  private static final int SHOWN = 120;

  private final ThrottleSignal signal;
  private final double max;
  private final long intervalNanos;
  private final Duration interval;
  private final Sleeper sleeper;
  private final LongSupplier nanoClock;
  private final Consumer<String> log;
  private boolean readOnce;
  private long lastReadNanos;
  private long throttledNanos;
  private int pauses;

  public ThrottleGate(ThrottleSignal signal, double max, Duration interval, Sleeper sleeper, LongSupplier nanoClock,
      Consumer<String> log) {
    this.signal = signal;
    this.max = max;
    this.interval = interval;
    this.intervalNanos = interval.toNanos();
    this.sleeper = sleeper;
    this.nanoClock = nanoClock;
    this.log = log;
  }

  /** A gate that never holds a batch back: the backfill has no throttle. */
  public static ThrottleGate open() {
    return new ThrottleGate(null, 0, Duration.ofDays(1), Sleeper.THREAD, System::nanoTime, line -> {});
  }

  /**
   * Returns when the next batch may run: at once when the value was read less than an interval
   * ago and was within bounds, else once a fresh reading is.
   */
  public void awaitClearance(Status status) throws Exception {
    if (signal == null || (readOnce && nanoClock.getAsLong() - lastReadNanos < intervalNanos)) {
      return;
    }
    long pausedSince = -1;
    while (true) {
      Reading<Double> reading = signal.read();
      readOnce = true;
      lastReadNanos = nanoClock.getAsLong();
      String reason = reasonToWait(reading);
      if (reason == null) {
        if (pausedSince >= 0) {
          long paused = lastReadNanos - pausedSince;
          throttledNanos += paused;
          log.accept("throttle: " + describe() + " is " + number(reading.value()) + " again, at most "
              + number(max) + "; resuming after " + Duration.ofNanos(paused).toMillis() + " ms");
        }
        return;
      }
      if (pausedSince < 0) {
        pausedSince = lastReadNanos;
        pauses++;
        log.accept("throttled: " + reason + "; reading it again every " + interval.toMillis() + " ms");
      }
      status.throttled(reason);
      sleeper.sleep(interval);
    }
  }

  /** Time spent waiting for the throttle so far. */
  public Duration throttled() {
    return Duration.ofNanos(throttledNanos);
  }

  /** How many times the throttle held batches back. */
  public int pauses() {
    return pauses;
  }

  /** Why batches must wait, or null when they need not. */
  private String reasonToWait(Reading<Double> reading) {
    if (!reading.ok()) {
      return "cannot read the throttle's value: " + shortened(reading.problem(), 2 * SHOWN);
    }
    if (reading.value() > max) {
      return describe() + " is " + number(reading.value()) + ", above the maximum " + number(max);
    }
    return null;
  }

  private String describe() {
    return shortened(signal.describe(), SHOWN);
  }

  private static String shortened(String text, int limit) {
    return text.length() <= limit ? text : text.substring(0, limit - 1) + "…";
  }

  /** 12.5, 10, 0.003 — as people write numbers, not 1.0E1. */
  static String number(double value) {
    if (Double.isInfinite(value)) {
      return value > 0 ? "+Inf" : "-Inf";
    }
    BigDecimal exact = BigDecimal.valueOf(value).stripTrailingZeros();
    BigDecimal rounded = exact.scale() > 3 && Math.abs(value) >= 1 ? exact.setScale(3, java.math.RoundingMode.HALF_UP)
        .stripTrailingZeros() : exact;
    return rounded.toPlainString();
  }
}
