package dev.lockstep.cli.kubectl;

import dev.lockstep.api.SchemaMigration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kubectl lockstep repair NAME [--retry]}. */
@Command(name = "repair", mixinStandardHelpOptions = true,
    description = "Repairs what a step that failed half-way left (condition NeedsRepair) in a repair Job:"
        + " sets lockstep.dev/repair.")
final class RepairCommand extends SteeringCommand {

  @Parameters(index = "0", paramLabel = "NAME", description = "The SchemaMigration.")
  String name;

  @Option(names = "--retry", description = "Retry the step once the repair succeeded (also sets lockstep.dev/retry).")
  boolean retry;

  @Override
  String migrationName() {
    return name;
  }

  @Override
  Steering.Outcome decide(SchemaMigration migration) {
    return Steering.repair(migration, retry);
  }
}
