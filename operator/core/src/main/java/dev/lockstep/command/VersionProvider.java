package dev.lockstep.command;

import picocli.CommandLine.IVersionProvider;

/** Reports the version Maven wrote into the jar's manifest. */
public final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = LockstepCommand.class.getPackage().getImplementationVersion();
    return new String[] {"lockstep " + (version == null ? "development build" : version)};
  }
}
