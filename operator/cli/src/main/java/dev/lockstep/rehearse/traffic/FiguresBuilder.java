package dev.lockstep.rehearse.traffic;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Accumulates requests into {@link Figures}; not thread-safe (the recorder synchronizes). */
final class FiguresBuilder {

  /** Latencies in microseconds, up to ten minutes, three significant digits. */
  private final Histogram latencies = new Histogram(600_000_000L, 3);
  private final Map<FailureKind, Long> failures = new EnumMap<>(FailureKind.class);
  private long requests;

  void add(long latencyMicros, FailureKind failure) {
    requests++;
    if (failure != null) {
      failures.merge(failure, 1L, Long::sum);
    }
    if (failure != FailureKind.NO_READY_POD) {
      latencies.recordValue(Math.max(0, Math.min(latencyMicros, latencies.getHighestTrackableValue())));
    }
  }

  long requests() {
    return requests;
  }

  long failed() {
    return failures.values().stream().mapToLong(Long::longValue).sum();
  }

  Figures build() {
    Map<String, Long> byKind = new LinkedHashMap<>();
    failures.forEach((kind, count) -> byKind.put(kind.label(), count));
    boolean any = latencies.getTotalCount() > 0;
    return new Figures(requests, failed(), byKind,
        any ? millis(latencies.getValueAtPercentile(50)) : 0,
        any ? millis(latencies.getValueAtPercentile(99)) : 0,
        any ? millis(latencies.getMaxValue()) : 0);
  }

  private static double millis(long micros) {
    return Math.round(micros / 10.0) / 100.0;
  }
}
