package dev.lockstep.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the version Maven wrote into the jar's manifest. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = Lockstep.class.getPackage().getImplementationVersion();
    return new String[] {"lockstep " + (version == null ? "development build" : version)};
  }
}
