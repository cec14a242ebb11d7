package dev.lockstep.world.kubelet;

import dev.lockstep.runner.ContainerEnvironment;

/**
 * The program an image runs, called in-process by the simulated kubelet: {@code
 * dev.lockstep.command.LockstepCommand::run} for the Lockstep image.
 */
@FunctionalInterface
public interface ContainerEntrypoint {

  /**
   * Runs the container's process to completion.
   *
   * @param args the container's {@code args}, with {@code $(VAR)} references expanded
   * @param environment the resolved env, the container's file view and its log streams
   * @return the exit code
   */
  int run(String[] args, ContainerEnvironment environment) throws Exception;
}
