package dev.lockstep.jobs;

/** Starts runner Jobs and reports how they are doing. */
public interface JobLauncher {

  /**
   * Creates the Job for {@code request} unless it exists already, in which case the existing one is
   * adopted: a repeated call never runs a step twice.
   */
  void launch(RunnerJobRequest request);

  /** What the Job named {@code name} in {@code namespace} is doing now. */
  JobState state(String namespace, String name);
}
