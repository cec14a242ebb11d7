package dev.lockstep.cli.kubectl;

import dev.lockstep.api.SchemaMigration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code kubectl lockstep resume NAME}. */
@Command(name = "resume", mixinStandardHelpOptions = true, description = "Lets a paused migration go on: removes lockstep.dev/pause.")
final class ResumeCommand extends SteeringCommand {

  @Parameters(index = "0", paramLabel = "NAME", description = "The SchemaMigration.")
  String name;

  @Override
  String migrationName() {
    return name;
  }

  @Override
  Steering.Outcome decide(SchemaMigration migration) {
    return Steering.resume(migration);
  }
}
