package dev.lockstep.cli.kubectl;

import dev.lockstep.lint.LintException;
import dev.lockstep.lint.RiskAssessor;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code kubectl lockstep plan -f DIR}: the steps and their risk, from the files, without a cluster. */
@Command(name = "plan", mixinStandardHelpOptions = true,
    description = {
      "Shows the steps of the SchemaMigrations in files, their scripts and risk; needs no cluster.",
      "The risk is judged by the static rules of lockstep lint (no database).",
      "Exit status: 0 shown, 2 the files cannot be read."
    })
final class PlanCommand implements Callable<Integer> {

  static final int BAD_INPUT = 2;

  @ParentCommand KubectlCommand kubectl;

  @Option(names = {"-f", "--filename"}, required = true, paramLabel = "DIR|FILE",
      description = "Manifests (SchemaMigrations, scripts ConfigMaps) and .sql scripts, or directories of them.")
  List<String> paths;

  @Option(names = "--pg-version", defaultValue = "" + RiskAssessor.DEFAULT_POSTGRES_VERSION, paramLabel = "<major>",
      description = "Major version of the target PostgreSQL, for version-dependent rules (default: ${DEFAULT-VALUE}).")
  int postgresMajorVersion;

  @Override
  public Integer call() {
    List<Path> files = paths.stream().map(p -> kubectl.root.environment().file(p)).toList();
    try {
      List<MigrationPlans.Planned> plans = MigrationPlans.read(files, postgresMajorVersion);
      if (plans.isEmpty()) {
        kubectl.err().println("kubectl lockstep plan: no SchemaMigration in " + String.join(", ", paths));
        return BAD_INPUT;
      }
      kubectl.out().print(PlanView.render(plans));
      kubectl.out().flush();
      return 0;
    } catch (LintException e) {
      kubectl.err().println("kubectl lockstep plan: " + e.getMessage());
      return BAD_INPUT;
    }
  }
}
