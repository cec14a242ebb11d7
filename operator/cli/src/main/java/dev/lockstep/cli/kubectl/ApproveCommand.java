package dev.lockstep.cli.kubectl;

import dev.lockstep.api.SchemaMigration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code kubectl lockstep approve NAME [STEP]}. */
@Command(name = "approve", mixinStandardHelpOptions = true,
    description = "Lets a step with approval: required start: adds it to lockstep.dev/approve.")
final class ApproveCommand extends SteeringCommand {

  @Parameters(index = "0", paramLabel = "NAME", description = "The SchemaMigration.")
  String name;

  @Parameters(index = "1", arity = "0..1", paramLabel = "STEP",
      description = "The step (default: the one waiting for approval); a later step is approved in advance.")
  String step;

  @Override
  String migrationName() {
    return name;
  }

  @Override
  Steering.Outcome decide(SchemaMigration migration) {
    return Steering.approve(migration, step);
  }
}
