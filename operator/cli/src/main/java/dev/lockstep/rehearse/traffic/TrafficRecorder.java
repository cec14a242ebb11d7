package dev.lockstep.rehearse.traffic;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Collects every request's outcome by segment, by phase and by second; safe to call from any thread. */
public final class TrafficRecorder {

  private final Instant start;
  private final FiguresBuilder total = new FiguresBuilder();
  private final Map<Segment, FiguresBuilder> segments = new LinkedHashMap<>();
  private final Map<Segment, double[]> spans = new LinkedHashMap<>();
  private final Map<String, FiguresBuilder> phases = new LinkedHashMap<>();
  private final TreeMap<Long, FiguresBuilder> seconds = new TreeMap<>();

  /** @param start time zero of the rehearsal: seconds in the figures count from it */
  public TrafficRecorder(Instant start) {
    this.start = start;
  }

  /**
   * One request.
   *
   * @param due when it was due to be sent (its latency counts from then)
   * @param latency from due to the answer (or the timeout); ignored for {@link FailureKind#NO_READY_POD}
   * @param failure why it failed, or {@code null}
   */
  public synchronized void record(Instant due, Segment segment, Duration latency, FailureKind failure) {
    long micros = latency.toNanos() / 1000;
    double at = Duration.between(start, due).toMillis() / 1000.0;
    total.add(micros, failure);
    segments.computeIfAbsent(segment, s -> new FiguresBuilder()).add(micros, failure);
    double[] span = spans.computeIfAbsent(segment, s -> new double[] {at, at});
    span[0] = Math.min(span[0], at);
    span[1] = Math.max(span[1], at);
    phases.computeIfAbsent(segment.phaseLabel(), p -> new FiguresBuilder()).add(micros, failure);
    seconds.computeIfAbsent((long) Math.floor(at), s -> new FiguresBuilder()).add(micros, failure);
  }

  /** The share of requests that failed in the last {@code window} before {@code now}; 0 without requests. */
  public synchronized double failureRatio(Instant now, Duration window) {
    long to = Duration.between(start, now).toSeconds();
    long from = to - Math.max(1, window.toSeconds());
    long requests = 0;
    long failed = 0;
    for (FiguresBuilder second : seconds.subMap(from, true, to, true).values()) {
      requests += second.requests();
      failed += second.failed();
    }
    return requests == 0 ? 0 : failed / (double) requests;
  }

  public synchronized TrafficReport report(int rate, String target, String plan, WriteCheck writes) {
    List<SegmentFigures> bySegment = new ArrayList<>();
    segments.forEach((segment, figures) -> bySegment.add(
        new SegmentFigures(segment, spans.get(segment)[0], spans.get(segment)[1], figures.build())));
    List<TrafficReport.PhaseFigures> byPhase = new ArrayList<>();
    phases.forEach((phase, figures) -> byPhase.add(new TrafficReport.PhaseFigures(phase, figures.build())));
    List<SecondFigures> bySecond = new ArrayList<>();
    seconds.forEach((second, builder) -> {
      Figures figures = builder.build();
      bySecond.add(new SecondFigures(second, figures.requests(), figures.failed(), figures.p50Ms(), figures.p99Ms()));
    });
    return new TrafficReport(rate, target, plan, total.build(), bySegment, byPhase, bySecond, writes);
  }
}
