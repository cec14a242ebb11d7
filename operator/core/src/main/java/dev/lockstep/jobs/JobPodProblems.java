package dev.lockstep.jobs;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Why a runner Job's pod is not running the runner, read from its status as the kubelet reports it:
 * an init container that cannot pull or copy the scripts image (the runner meanwhile waits as
 * {@code PodInitializing}), an image that cannot be pulled, a container that cannot be created. A
 * pod that is only starting says nothing. Pure.
 */
final class JobPodProblems {

  /** Waiting reasons of a container that is only starting. */
  private static final Set<String> STARTING = Set.of("ContainerCreating", "PodInitializing");

  /** Waiting reasons of an image that cannot be pulled. */
  private static final Set<String> PULL = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName",
      "ErrImageNeverPull");

  private JobPodProblems() {}

  static Optional<String> of(Pod pod) {
    if (pod.getStatus() == null) {
      return Optional.empty();
    }
    for (ContainerStatus init : list(pod.getStatus().getInitContainerStatuses())) {
      Optional<String> problem = initProblem(init);
      if (problem.isPresent()) {
        return problem;
      }
    }
    return list(pod.getStatus().getContainerStatuses()).stream()
        .filter(s -> RunnerJobFactory.RUNNER_CONTAINER.equals(s.getName()))
        .findFirst()
        .flatMap(JobPodProblems::runnerProblem);
  }

  private static Optional<String> initProblem(ContainerStatus init) {
    String what = RunnerJobFactory.COPY_CONTAINER.equals(init.getName())
        ? "init container " + init.getName() + " (it copies the scripts out of spec.scripts.image)"
        : "init container " + init.getName();
    ContainerStateWaiting waiting = init.getState() == null ? null : init.getState().getWaiting();
    if (waiting != null && waiting.getReason() != null && !STARTING.contains(waiting.getReason())) {
      String hint = PULL.contains(waiting.getReason())
          ? "; check spec.scripts.image.name, that the registry is reachable, and the pull secrets (runner.imagePullSecrets)"
          : "";
      return Optional.of(what + " cannot start, so the runner waits (PodInitializing): " + describe(waiting) + hint);
    }
    ContainerStateTerminated terminated = init.getState() == null ? null : init.getState().getTerminated();
    if (terminated != null && terminated.getExitCode() != null && terminated.getExitCode() != 0) {
      String message = terminated.getMessage() == null || terminated.getMessage().isBlank()
          ? "" : ": " + lastLine(terminated.getMessage());
      return Optional.of(what + " failed with exit code " + terminated.getExitCode() + message
          + "; check spec.scripts.image.path");
    }
    return Optional.empty();
  }

  private static Optional<String> runnerProblem(ContainerStatus runner) {
    ContainerStateWaiting waiting = runner.getState() == null ? null : runner.getState().getWaiting();
    if (waiting == null || waiting.getReason() == null || STARTING.contains(waiting.getReason())) {
      return Optional.empty();
    }
    if (PULL.contains(waiting.getReason())) {
      return Optional.of("the runner image cannot be pulled: " + describe(waiting) + "; check the operator's runner"
          + " image (image.repository and image.tag in the chart), that the registry is reachable, and the pull"
          + " secrets (runner.imagePullSecrets)");
    }
    return Optional.of(describe(waiting));
  }

  private static String describe(ContainerStateWaiting waiting) {
    return waiting.getMessage() == null ? waiting.getReason() : waiting.getReason() + ": " + waiting.getMessage();
  }

  private static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    return lines[lines.length - 1];
  }

  private static <T> List<T> list(List<T> items) {
    return items == null ? List.of() : items;
  }
}
