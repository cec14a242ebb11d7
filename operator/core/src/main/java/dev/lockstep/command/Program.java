package dev.lockstep.command;

import dev.lockstep.runner.ContainerEnvironment;

/**
 * A top-level command whose subcommands run in a container: they read env and files through its
 * environment. The operator image's program ({@link LockstepCommand}) and the all-in-one command-line
 * tool are both one.
 */
public interface Program {

  /** The container this invocation runs in. */
  ContainerEnvironment environment();
}
