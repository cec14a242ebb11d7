package dev.lockstep.rehearse.traffic;

/**
 * The figures of one stretch of the rollout: a step, the undo of a step, or the time between steps.
 *
 * @param startSeconds when its first request was due, in seconds since the rehearsal started
 * @param endSeconds when its last request was due
 */
public record SegmentFigures(Segment segment, double startSeconds, double endSeconds, Figures figures) {}
