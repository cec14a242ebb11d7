package dev.lockstep.examples.orders;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

/**
 * The application's configuration, from its environment:
 *
 * <pre>
 * DB_URL                          JDBC URL of the orders database (required)
 * DB_USERNAME, DB_PASSWORD        its credentials
 * HTTP_ADDRESS                    address to listen on (default 0.0.0.0)
 * HTTP_PORT                       port to listen on (default 8080)
 * SCHEMA_CHECK_INTERVAL_MS        how often the schema version is read again (default 2000)
 * FLAGD_RESOLVER                  rpc (a flagd daemon, e.g. the OpenFeature Operator's sidecar) or file
 *                                 (default: file when FLAGD_OFFLINE_FLAG_SOURCE_PATH is set, else rpc)
 * FLAGD_HOST, FLAGD_PORT          the flagd daemon (default localhost:8013)
 * FLAGD_OFFLINE_FLAG_SOURCE_PATH  the flagd JSON file, e.g. a ConfigMap key mounted as a volume
 * FLAGD_OFFLINE_POLL_MS           how often the file is looked at for changes (default 5000)
 * </pre>
 *
 * The FLAGD_ variables are the flagd provider's own, with its defaults.
 */
public record AppConfig(
    String databaseUrl,
    String databaseUser,
    String databasePassword,
    String httpAddress,
    int httpPort,
    Duration schemaCheckInterval,
    FlagSourceConfig flags) {

  /**
   * @param env the environment variables
   * @param files where a path of the configuration is on this machine (in a container, the path itself)
   * @throws IllegalArgumentException naming the variable that is missing or wrong
   */
  public static AppConfig fromEnv(Function<String, String> env, Function<String, Path> files) {
    String url = env.apply("DB_URL");
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("DB_URL is not set: give the JDBC URL of the orders database");
    }
    String flagFile = env.apply("FLAGD_OFFLINE_FLAG_SOURCE_PATH");
    String resolverName = or(env.apply("FLAGD_RESOLVER"), flagFile == null ? "rpc" : "file");
    FlagSourceConfig.Resolver resolver = switch (resolverName.toLowerCase(Locale.ROOT)) {
      case "rpc" -> FlagSourceConfig.Resolver.RPC;
      case "file" -> FlagSourceConfig.Resolver.FILE;
      default -> throw new IllegalArgumentException("FLAGD_RESOLVER is \"" + resolverName + "\"; use rpc or file");
    };
    if (resolver == FlagSourceConfig.Resolver.FILE && flagFile == null) {
      throw new IllegalArgumentException("FLAGD_RESOLVER is file but FLAGD_OFFLINE_FLAG_SOURCE_PATH is not set");
    }
    FlagSourceConfig flags = new FlagSourceConfig(
        resolver,
        or(env.apply("FLAGD_HOST"), "localhost"),
        number(env, "FLAGD_PORT", 8013),
        flagFile == null ? null : files.apply(flagFile),
        Duration.ofMillis(number(env, "FLAGD_OFFLINE_POLL_MS", 5000)));
    return new AppConfig(
        url,
        env.apply("DB_USERNAME"),
        env.apply("DB_PASSWORD"),
        or(env.apply("HTTP_ADDRESS"), "0.0.0.0"),
        number(env, "HTTP_PORT", 8080),
        Duration.ofMillis(number(env, "SCHEMA_CHECK_INTERVAL_MS", 2000)),
        flags);
  }

  /** The same configuration, listening on {@code address} (a pod's own address in the test world). */
  public AppConfig listeningOn(String address) {
    return new AppConfig(databaseUrl, databaseUser, databasePassword, address, httpPort, schemaCheckInterval, flags);
  }

  private static String or(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }

  private static int number(Function<String, String> env, String name, int fallback) {
    String value = env.apply(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      int number = Integer.parseInt(value.trim());
      if (number <= 0) {
        throw new NumberFormatException();
      }
      return number;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " is \"" + value + "\"; it must be a positive whole number");
    }
  }
}
