package dev.lockstep.rehearse.traffic;

import java.util.List;

/**
 * Everything the traffic of a rehearsal measured.
 *
 * @param rate requests per second asked for
 * @param target the workload, e.g. {@code Deployment default/orders}
 * @param plan what the requests did
 * @param segments per step (and undo, and between steps), in the order they happened
 * @param phases per phase of the migrations ({@code Before} and {@code After} outside them)
 * @param seconds per second, for the charts
 */
public record TrafficReport(int rate, String target, String plan, Figures total, List<SegmentFigures> segments,
    List<PhaseFigures> phases, List<SecondFigures> seconds, WriteCheck writes) {

  /** @param phase a migration's short name and phase ("orders-total-cents RollingBack"), or Before/After */
  public record PhaseFigures(String phase, Figures figures) {}
}
