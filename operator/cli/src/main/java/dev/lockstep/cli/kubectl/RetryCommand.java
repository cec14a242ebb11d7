package dev.lockstep.cli.kubectl;

import dev.lockstep.api.SchemaMigration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code kubectl lockstep retry NAME STEP}. */
@Command(name = "retry", mixinStandardHelpOptions = true,
    description = "Runs a failed step again as a new attempt (rollback policy Manual): sets lockstep.dev/retry.")
final class RetryCommand extends SteeringCommand {

  @Parameters(index = "0", paramLabel = "NAME", description = "The SchemaMigration.")
  String name;

  @Parameters(index = "1", paramLabel = "STEP", description = "The failed step.")
  String step;

  @Override
  String migrationName() {
    return name;
  }

  @Override
  Steering.Outcome decide(SchemaMigration migration) {
    return Steering.retry(migration, step);
  }
}
