package dev.lockstep.command;

import dev.lockstep.api.InspectedScripts;
import dev.lockstep.lint.RiskAssessor;
import dev.lockstep.lint.ScriptsInspection;
import dev.lockstep.protocol.RunnerResult;
import dev.lockstep.runner.ContainerEnvironment;
import dev.lockstep.runner.RunnerFailure;
import dev.lockstep.runner.RunnerOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * Job entrypoint: reads the scripts out of a scripts image (copied there by the init container) and
 * reports their inventory and static risk, so that scripts from an image get the same validation
 * as scripts from a ConfigMap. Needs no database and no credentials.
 */
@Command(
    name = "inspect",
    description = {
      "Lists the scripts of the scripts directory with their checksums and what the static risk rules find",
      "in them, as JSON in the result file (run by the operator in a Job while it validates a migration",
      "whose scripts come from an image). No database is needed.",
      "Exit codes: 0 ok, 2 bad input (no such directory, a file that is not UTF-8, an inventory over 4 KiB)."
    },
    mixinStandardHelpOptions = true)
public final class InspectCommand implements Callable<Integer> {

  @ParentCommand private Program root;

  @Option(
      names = "--scripts",
      paramLabel = "DIR",
      defaultValue = "/lockstep/scripts",
      description = "Directory of V<version>__*.sql and U<version>__*.sql scripts (default: ${DEFAULT-VALUE}).")
  private String scripts;

  @Option(
      names = "--result-file",
      paramLabel = "PATH",
      description = "Where to write the JSON result (default: $" + RunnerOptions.RESULT_FILE_VARIABLE + ", else "
          + ContainerEnvironment.TERMINATION_LOG + ").")
  private String resultFile;

  @Override
  public Integer call() {
    ContainerEnvironment environment = root.environment();
    RunnerResult result = new RunnerResult();
    result.setCommand("inspect");
    int exitCode = 0;
    long started = System.nanoTime();
    try {
      InspectedScripts inspected =
          ScriptsInspection.inspect(read(environment, scripts), RiskAssessor.DEFAULT_POSTGRES_VERSION);
      result.setInspection(inspected);
      result.setOk(true);
      result.setMillis((System.nanoTime() - started) / 1_000_000);
      if (!result.fitsWhole()) {
        int bytes = result.jsonBytes();
        result.setInspection(null);
        result.setOk(false);
        throw RunnerFailure.badInput("the inventory of the " + inspected.getFiles().size() + " scripts in " + scripts
            + " takes " + bytes + " bytes, more than the " + RunnerResult.MAX_BYTES + " bytes of a termination"
            + " message; keep fewer scripts in the image (baseline old versions) or deliver them in a ConfigMap");
      }
      environment.out().println("inspected " + inspected.getFiles().size() + " scripts in " + scripts + ": "
          + inspected.getFindings().size() + " findings");
    } catch (RunnerFailure failure) {
      result.setOk(false);
      result.setError(failure.getMessage());
      exitCode = failure.exitCode();
      environment.err().println("lockstep inspect: " + failure.getMessage());
    }
    write(environment, result);
    return exitCode;
  }

  /** Every regular, non-hidden file of the directory (links followed), by name, as UTF-8 text. */
  static Map<String, String> read(ContainerEnvironment environment, String directory) {
    Path host = environment.file(directory);
    if (!Files.isDirectory(host)) {
      throw RunnerFailure.badInput("scripts directory " + directory + " does not exist; check spec.scripts.image.path"
          + " names the directory of the scripts in the image");
    }
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> entries = Files.list(host)) {
      for (Path entry : (Iterable<Path>) entries::iterator) {
        String name = entry.getFileName().toString();
        if (!name.startsWith(".") && Files.isRegularFile(entry)) {
          files.put(name, utf8(entry, directory + "/" + name));
        }
      }
    } catch (IOException e) {
      throw RunnerFailure.badInput("cannot read scripts directory " + directory + ": " + e.getMessage());
    }
    return files;
  }

  private static String utf8(Path file, String shownAs) throws IOException {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
    } catch (CharacterCodingException e) {
      throw RunnerFailure.badInput(shownAs + " is not UTF-8 text; save it as UTF-8");
    }
  }

  private void write(ContainerEnvironment environment, RunnerResult result) {
    String path = resultFile;
    if (path == null || path.isBlank()) {
      path = environment.env(RunnerOptions.RESULT_FILE_VARIABLE);
    }
    if (path == null || path.isBlank()) {
      path = ContainerEnvironment.TERMINATION_LOG;
    }
    try {
      Files.writeString(environment.file(path), result.toTerminationMessage(), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      environment.err().println("lockstep inspect: could not write the result file " + path + ": " + e.getMessage());
    }
  }
}
