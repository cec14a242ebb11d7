package dev.lockstep.examples.orders;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the flagd provider reads the flags, in flagd's own terms and environment variables.
 *
 * @param resolver {@code RPC}: ask a flagd daemon (a sidecar) at {@code host}:{@code port} for every
 *     evaluation; {@code FILE}: evaluate in-process a flagd JSON file, such as a mounted ConfigMap key,
 *     read again when it changes
 * @param host flagd's host (RPC)
 * @param port flagd's port (RPC)
 * @param file the flagd JSON file (FILE)
 * @param pollInterval how often the file is looked at for changes (FILE)
 */
public record FlagSourceConfig(Resolver resolver, String host, int port, Path file, Duration pollInterval) {

  public enum Resolver {
    RPC,
    FILE
  }

  @Override
  public String toString() {
    return resolver == Resolver.RPC
        ? "flagd at " + host + ":" + port
        : "flagd JSON file " + file + " (looked at every " + pollInterval.toMillis() + " ms)";
  }
}
