package dev.lockstep.bench;

import dev.lockstep.runner.ContainerEnvironment;

/**
 * The program a runner Job starts ({@code lockstep migrate|backfill ...}), run in-process so that the
 * benchmark measures exactly what a Job would do. Handed in by the command line rather than called
 * directly, so that this package does not depend on the one that wires the commands together.
 */
@FunctionalInterface
public interface RunnerEntrypoint {

  /** Runs {@code lockstep <args>} in {@code environment} and returns its exit code. */
  int run(String[] args, ContainerEnvironment environment);
}
