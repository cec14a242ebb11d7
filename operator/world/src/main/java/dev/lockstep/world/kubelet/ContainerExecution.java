package dev.lockstep.world.kubelet;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs a run-to-completion container in-process: the node's built-in {@code cp} when the container
 * asks for it, otherwise the entrypoint registered for its image.
 */
final class ContainerExecution {

  private ContainerExecution() {}

  /** How a container ended, as its terminated state reports it. */
  record Outcome(int exitCode, String reason, String fixedMessage) {

    static Outcome exited(int exitCode) {
      return new Outcome(exitCode, exitCode == 0 ? "Completed" : "Error", null);
    }

    /** The runtime could not start the process (exit code 128, as containerd reports it). */
    static Outcome startError(String message) {
      return new Outcome(128, "StartError", message);
    }

    String message(ContainerSandbox sandbox) {
      return fixedMessage != null ? fixedMessage : sandbox.terminationMessage(exitCode);
    }
  }

  static Outcome run(ContainerSandbox sandbox, ImageCatalog images) throws InterruptedException {
    String image = sandbox.container().getImage();
    List<String> command = sandbox.command();
    if (BuiltInCommands.supports(command)) {
      List<String> full = new ArrayList<>(command);
      full.addAll(sandbox.args());
      return Outcome.exited(BuiltInCommands.run(full, sandbox.files(), sandbox.log()));
    }
    Optional<ContainerEntrypoint> entrypoint = images.entrypoint(image);
    if (!command.isEmpty() || entrypoint.isEmpty()) {
      return Outcome.startError(
          "the simulated kubelet cannot run "
              + (command.isEmpty() ? "image " + image : "command " + command + " in image " + image)
              + ": only \"cp\" is built in, and an image's registered entrypoint runs with the container's args");
    }
    try {
      int exitCode = entrypoint.get().run(sandbox.args().toArray(String[]::new), sandbox.environment());
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException("container stopped");
      }
      return Outcome.exited(exitCode);
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      // An uncaught exception ends a JVM with exit code 1 and its stack trace on stderr.
      e.printStackTrace(sandbox.log());
      return Outcome.exited(1);
    }
  }
}
