package dev.lockstep.cli.kubectl;

import dev.lockstep.api.SchemaMigration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code kubectl lockstep pause NAME}. */
@Command(name = "pause", mixinStandardHelpOptions = true, description = "Holds the migration before its next step (the running step finishes first): sets lockstep.dev/pause.")
final class PauseCommand extends SteeringCommand {

  @Parameters(index = "0", paramLabel = "NAME", description = "The SchemaMigration.")
  String name;

  @Override
  String migrationName() {
    return name;
  }

  @Override
  Steering.Outcome decide(SchemaMigration migration) {
    return Steering.pause(migration);
  }
}
