package dev.lockstep.rehearse.traffic;

/** The requests due in one second of the rehearsal: the points of the report's charts. */
public record SecondFigures(long second, long requests, long failed, double p50Ms, double p99Ms) {}
