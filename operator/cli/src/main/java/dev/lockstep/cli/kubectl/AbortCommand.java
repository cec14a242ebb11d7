package dev.lockstep.cli.kubectl;

import dev.lockstep.api.SchemaMigration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code kubectl lockstep abort NAME}. */
@Command(name = "abort", mixinStandardHelpOptions = true, description = "Rolls the migration back now, newest completed step first: sets lockstep.dev/abort.")
final class AbortCommand extends SteeringCommand {

  @Parameters(index = "0", paramLabel = "NAME", description = "The SchemaMigration.")
  String name;

  @Override
  String migrationName() {
    return name;
  }

  @Override
  Steering.Outcome decide(SchemaMigration migration) {
    return Steering.abort(migration);
  }
}
