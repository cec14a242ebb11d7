package dev.lockstep.bench;

import dev.lockstep.runner.ContainerEnvironment;
import dev.lockstep.runner.RunnerOptions;
import dev.lockstep.protocol.RunnerResult;
import dev.lockstep.world.kubelet.ContainerEntrypoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A stand-in for the runner whose Jobs complete as soon as they start: it touches no database and
 * writes the result a successful {@code migrate --to V} would, so that the control-plane benchmark
 * measures the operator, not the work its Jobs do.
 */
final class InstantRunner implements ContainerEntrypoint {

  @Override
  public int run(String[] args, ContainerEnvironment environment) throws Exception {
    List<String> arguments = List.of(args);
    RunnerResult result = new RunnerResult();
    result.setCommand(arguments.isEmpty() ? "migrate" : arguments.get(0));
    result.setOk(true);
    int to = arguments.indexOf("--to");
    if (to >= 0 && to + 1 < arguments.size()) {
      result.setVersionAfter(arguments.get(to + 1));
    }
    int resultFile = arguments.indexOf("--result-file");
    String path = resultFile >= 0 && resultFile + 1 < arguments.size() ? arguments.get(resultFile + 1)
        : environment.env(RunnerOptions.RESULT_FILE_VARIABLE);
    Path file = environment.file(path == null || path.isBlank() ? ContainerEnvironment.TERMINATION_LOG : path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, result.toTerminationMessage());
    return 0;
  }
}
